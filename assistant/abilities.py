"""What the assistant cannot do, and where the app does what the chat does not.

Both brains say the same: the offline brain answers from these tables, and the
model brains' system prompt lists them (assistant/llm/prompt.py).
"""

# Features elsewhere in the app: the words that ask about one -> where it is.
FEATURES = {
    "export": (
        [
            "mp4",
            "export",
            "download",
            "render",
            "save the video",
            "save it as",
            "video file",
            "final video",
            "finished video",
            "get the video",
            "get my video",
            "get the file",
        ],
        "To get the video as a file, press the Export MP4 button on the project page; "
        "the finished MP4 shows up in the list under it, ready to download.",
    ),
    "undo": (
        ["how do i undo", "can i undo", "how to undo", "undo button", "go back a step"],
        "To take back the last change, press the Undo button on the latest change in the chat, "
        'or type "undo"; undoing an undo redoes it.',
    ),
    "share": (
        ["share", "publish", "upload to youtube", "post it", "send it"],
        "I can't share or publish videos; press Export MP4 on the project page and share the "
        "MP4 file it makes.",
    ),
    "start over": (
        ["start over", "start again", "new project", "clear everything", "reset", "from scratch"],
        "To start over, make a new project from the projects page; here I delete scenes one at a "
        'time ("delete scene 2"), and "undo" brings back the last one.',
    ),
    "play": (
        ["play the video", "preview", "watch it", "play it", "how do i play"],
        "The player above the timeline plays the video as it is now; press its play button "
        "or the space bar.",
    ),
}

# What it truly cannot do: words that ask for it -> (what it cannot do, the nearest it can).
CANNOT = [
    (
        ["music", "song", "soundtrack", "audio", "sound", "voiceover", "voice over", "narration"],
        "add sound or music: the videos I make are silent",
        'add a title card with the words you would say, e.g. "add a title saying Welcome"',
    ),
    (
        [
            "my logo",
            "our logo",
            "company logo",
            "logo file",
            "logo image",
            "upload",
            "image",
            "picture",
            "photo",
            "png",
            "jpg",
            "svg",
            "gif",
        ],
        "show images or uploaded files such as a logo",
        'make a logo reveal with your brand name, e.g. "add a logo reveal for Acme"',
    ),
    (
        ["video clip", "footage", "webcam", "record", "my video file", "youtube video"],
        "use video clips or footage",
        'build scenes from text, e.g. "add a title saying Behind the scenes"',
    ),
    (
        ["transition", "fade between", "crossfade", "wipe"],
        "add transitions between scenes: each scene has its own entrance",
        'make entrances faster or slower, e.g. "make scene 2 faster"',
    ),
    (
        [
            "bigger",
            "smaller",
            "font size",
            "text size",
            "larger",
            "resize",
            "italic",
            "bold",
            "underline",
            "center",
            "centre",
            "align",
            "left align",
            "right align",
        ],
        "change the size, style or alignment of text: each template sets them itself",
        'use a condensed font to fit more, e.g. "use a condensed font for scene 1"',
    ),
    (
        ["gradient", "pattern", "texture", "blur"],
        "draw gradients or patterns: a background is one colour",
        'pick a theme or a colour, e.g. "make every scene dark" or "make the background navy"',
    ),
    (
        ["emoji", "animation style", "3d", "confetti", "particles", "sticker"],
        "add that effect",
        'change colours, fonts or speed, e.g. "make scene 1 faster with a gold accent"',
    ),
]
