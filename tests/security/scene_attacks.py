"""Scene code that tried to get out of the preview (issue 10, finding 3).

Shared by the checker tests and the Chromium tests, which store the same code
straight in the database, as if the checker had missed it.
"""


def scene_document(body: str, head: str = "") -> str:
    return (
        '<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        "<style>html, body { margin: 0; background: #123; color: #fff }</style>\n"
        f"{head}\n</head>\n<body>{body}</body>\n</html>\n"
    )


def webrtc_script(port: int) -> str:
    """Sends STUN to port, directly and through a TURN server there, as the report did.

    It first marks the document, so a test can tell that it ran at all.
    """
    return (
        "document.documentElement.dataset.ran = 'yes';"
        "var pc = new RTCPeerConnection({iceServers: ["
        f"{{urls: 'stun:127.0.0.1:{port}'}},"
        f"{{urls: 'turn:127.0.0.1:{port}?transport=udp', username: 'u', credential: 'p'}}]}});"
        "pc.createDataChannel('out');"
        "pc.createOffer().then(function (offer) { return pc.setLocalDescription(offer); });"
        "window.keep = pc;"
    )


def webrtc_scene(port: int) -> str:
    return scene_document(f"<h1>Quarterly numbers</h1><script>{webrtc_script(port)}</script>")


# An empty comment, then a real script: html.parser read it all as one comment.
EMPTY_COMMENT_SCENE = scene_document(
    "<h1>Hi</h1><!--><script>document.documentElement.dataset.ran = 'yes'</script>-->"
)
# Pinned a core, so the frame never answered a seek.
BUSY_LOOP_SCENE = scene_document(
    "<h1>Hi</h1><script>document.documentElement.dataset.ran = 'yes'; while (true) {}</script>"
)
# An endless Web Animation that the old check's "Infinity" pattern missed.
ENDLESS_ANIMATION_SCENE = scene_document(
    "<h1 id=t>Hi</h1><script>document.documentElement.dataset.ran = 'yes';"
    "t.animate([{opacity: 0}, {opacity: 1}], {duration: 500, iterations: 1/0})</script>"
)
