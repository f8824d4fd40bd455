"""check_scene_code: what model-written scene code may be saved, and why not."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projects.models import Project
from scenes.check import MAX_CODE_CHARS, check_scene_code
from scenes.errors import ToolError
from scenes.render import render_scene_code, scene_props
from scenes.tools import add_scene, edit_scene, trim_scene


def page(head: str = "", body: str = "<h1>Hi</h1>") -> str:
    return (
        '<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<style>html, body {{ margin: 0; }}</style>\n{head}\n</head>\n"
        f"<body>{body}</body>\n</html>\n"
    )


def styled(css: str) -> str:
    return page(head=f"<style>{css}</style>")


SVG_DATA_URL = (
    "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'>"
    "<rect width='1' height='1' fill='red'/></svg>"
)

ACCEPTED = {
    "a plain document": page(),
    "leading whitespace and an upper-case doctype": "  \n<!DOCTYPE HTML>" + page()[15:],
    "CSS animations with fill both": styled(
        "h1 { animation: in 800ms ease-out 200ms 2 both; }"
        "@keyframes in { from { opacity: 0 } to { opacity: 1 } }"
    ),
    "sizes in container units": styled("body { container-type: size; } h1 { font: 10cqh serif }"),
    "a data: image": page(body='<img src="data:image/png;base64,iVBORw0KGgo=" alt="">'),
    "a data: URL in CSS whose SVG names its xmlns": styled(
        f'body {{ background: url("{SVG_DATA_URL}") }}'
    ),
    "an unquoted data: URL in CSS": styled("body { background: url(data:image/gif;base64,R0lG) }"),
    "an inline SVG with a fragment reference": page(
        body='<svg xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="g"/></defs>'
        '<rect fill="url(#g)" width="10" height="10"/><use href="#g"/></svg>'
    ),
    "a URL shown as text": page(body="<p>Sign up at https://chatvideo.example</p>"),
    "a link to a fragment": page(body='<a href="#top">Top</a>'),
    "a data: srcset with commas": page(
        body='<img src="data:," srcset="data:image/gif;base64,R0lG, data:image/gif,x 2x">'
    ),
    "the scene's own CSP meta": page(
        head='<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
    ),
    "local fonts": styled("@font-face { font-family: X; src: local('Arial'); }"),
    "a CSS quote escape": styled('q::before { content: "\\201C"; }'),
    "the template rendering itself": render_scene_code(scene_props(title="Hello"), 150, 30),
    "an SVG paint that refers to a gradient": page(
        body='<svg><rect fill="url(#g)" stroke="url(\'#g\')" width="1" height="1"/></svg>'
    ),
    "the word infinite in text and in a class name": styled(
        '.infinite-scroll { color: red } h1::after { content: "to infinite and beyond" }'
    ),
    "script-looking text in a textarea": page(
        body="<textarea><script>fetch('/x')</script></textarea>"
    ),
    "script-looking text in an xmp": page(body="<xmp><script>not a script</script></xmp>"),
}

REFUSED = {
    "empty": ("", "it is empty"),
    "not a document": ("<h1>Hi</h1>", "it is not a complete HTML document"),
    "no doctype": (page()[16:], "it is not a complete HTML document"),
    "no closing html": (page().replace("</html>", ""), "it is not a complete HTML document"),
    "too long": (
        page(body="x" * MAX_CODE_CHARS),
        f"characters long; the limit is {MAX_CODE_CHARS:,}",
    ),
    "an external script": (
        page(head='<script src="https://evil.example/x.js"></script>'),
        "it has a <script>; scenes run no script: animate with CSS @keyframes instead",
    ),
    "an inline script": (
        page(body="<h1 id=t>Hi</h1><script>t.animate([{opacity: 0}], 800)</script>"),
        "it has a <script>; scenes run no script",
    ),
    "an upper-case script": (page(body="<SCRIPT>go()</SCRIPT>"), "it has a <script>"),
    "an SVG script": (page(body="<svg><script>go()</script></svg>"), "it has a <script>"),
    "a script hidden behind an empty comment": (
        page(body="<!--><script>go()</script>-->"),
        "it has a <script>",
    ),
    "a script after a noscript that ends inside an attribute": (
        page(body='<noscript><p title="</noscript><script>go()</script>"></noscript>'),
        "it has a <script>",
    ),
    "a tag a select would drop in an old parser": (
        page(body="<select><img src=x onerror=go()></select>"),
        "inline event handler (onerror",
    ),
    "a data: script": (page(head='<script src="data:text/javascript,1"></script>'), "<script>"),
    "an event handler": (
        page(body='<body onload="go()">'),
        "inline event handler (onload=...); scenes run no script: animate with CSS @keyframes",
    ),
    "an SVG event handler": (page(body='<svg onload="go()"></svg>'), "(onload=...)"),
    "a javascript: link": (
        page(body='<a href="java&#x73;cript:go()">x</a>'),
        "a javascript: URL; scenes run no script",
    ),
    "a stylesheet link": (
        page(head='<link rel="stylesheet" href="https://cdn.example/x.css">'),
        "it loads an external URL (https://cdn.example/x.css)",
    ),
    "a link to a local file": (page(head='<link rel="icon" href="data:,">'), "(<link>)"),
    "an external image": (
        page(body='<img src="http://img.example/a.png">'),
        "it loads an external URL (http://img.example/a.png)",
    ),
    "a protocol-relative image": (
        page(body='<img src="//img.example/a.png">'),
        "it loads an external URL (//img.example/a.png)",
    ),
    "a relative image": (page(body='<img src="a.png">'), "it loads a file (a.png)"),
    "an external srcset": (
        page(body='<img src="data:," srcset="data:a 1x, https://x.example/b.png 2x">'),
        "https://x.example/b.png",
    ),
    "an entity-encoded URL": (
        page(body='<img src="&#104;ttps://x.example/a.png">'),
        "https://x.example/a.png",
    ),
    "a form action": (
        page(body='<form action="https://x.example/"></form>'),
        "https://x.example/",
    ),
    "an SVG image": (
        page(body='<svg><image href="https://x.example/a.png"/></svg>'),
        "https://x.example/a.png",
    ),
    "an SVG xlink image": (
        page(body='<svg><image xlink:href="//x.example/a.png"/></svg>'),
        "//x.example/a.png",
    ),
    "an iframe": (page(body='<iframe src="data:,"></iframe>'), "(<iframe>)"),
    "an object": (page(body="<object></object>"), "(<object>)"),
    "an embed": (page(body="<embed>"), "(<embed>)"),
    "a base URL": (page(head='<base href="#">'), "(<base>)"),
    "a meta refresh": (
        page(head='<meta http-equiv="refresh" content="0; url=https://x.example">'),
        "meta refresh",
    ),
    "a video": (page(body='<video src="data:,"></video>'), "(<video>)"),
    "an SVG animate": (page(body="<svg><animate/></svg>"), "SVG <animate>"),
    "a CSS import": (styled('@import "theme.css";'), "@import"),
    "a CSS import by url": (styled("@import url(https://x.example/a.css);"), "@import"),
    "an external url() in CSS": (
        styled("body { background: url(https://x.example/bg.png) }"),
        "it loads an external URL (https://x.example/bg.png",
    ),
    "a quoted relative url() in CSS": (
        styled("body { background: url('bg.png') }"),
        "it loads a file (bg.png)",
    ),
    "a web font": (
        styled("@font-face { font-family: X; src: url(//fonts.example/x.woff2); }"),
        "//fonts.example/x.woff2",
    ),
    "an escaped url() in CSS": (
        styled("body { background: u\\72l(https://x.example/a.png) }"),
        "https://x.example/a.png",
    ),
    "an image-set string": (
        styled('body { background: image-set("https://x.example/a.png" 1x) }'),
        "https://x.example/a.png",
    ),
    "an external URL in a style attribute": (
        page(body="<div style=\"background: url('https://x.example/a.png')\"></div>"),
        "https://x.example/a.png",
    ),
    "an infinite animation": (
        styled("h1 { animation: spin 1s linear infinite; }"),
        "an animation that never ends",
    ),
    "an infinite iteration count": (
        page(body='<h1 style="animation-iteration-count: infinite">Hi</h1>'),
        "an animation that never ends",
    ),
    "an infinite count carried by a custom property": (
        styled(":root { --n: infinite } h1 { animation: in 1s var(--n) }"),
        "an animation that never ends",
    ),
    "an iteration count of calc(infinity)": (
        styled("h1 { animation-iteration-count: calc(infinity) }"),
        "an animation that never ends",
    ),
    "an external URL in an SVG style": (
        page(body="<svg><style>rect { fill: url(https://x.example/p.svg#a) }</style></svg>"),
        "https://x.example/p.svg#a",
    ),
    "an external URL in an SVG paint": (
        page(body='<svg><rect fill="url(https://x.example/p.svg#a)"/></svg>'),
        "https://x.example/p.svg#a",
    ),
}


@pytest.mark.parametrize("code", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_accepted(code):
    assert check_scene_code(code) == code


@pytest.mark.parametrize(("code", "reason"), REFUSED.values(), ids=REFUSED.keys())
def test_refused(code, reason):
    with pytest.raises(ToolError) as refused:
        check_scene_code(code)
    message = str(refused.value)
    assert message.startswith("The scene code was not saved: ")
    assert message.endswith(".")
    assert reason in message


def test_a_long_url_is_shortened_in_the_reason():
    code = page(body=f'<img src="https://x.example/{"a" * 500}.png">')
    with pytest.raises(ToolError) as refused:
        check_scene_code(code)
    assert len(str(refused.value)) < 160


def test_the_tools_save_checked_code_and_refuse_the_rest(db, owner):
    project = Project.objects.create(owner=owner, title="Code")
    code = page(body="<h1>Mine</h1>")

    scene = add_scene(project, props={"title": "Mine"}, duration_frames=60, code=code)
    assert (scene.code, scene.props["title"], scene.name) == (code, "Mine", "Title card: Mine")

    edited = edit_scene(project, scene_id=scene.id, props={"title": "Ours"}, code=code + " ")
    assert (edited.code, edited.props["title"]) == (code + " ", "Ours")

    trimmed = trim_scene(project, scene_id=scene.id, duration_frames=90, code=code)
    assert (trimmed.code, trimmed.duration_frames) == (code, 90)

    with pytest.raises(ToolError, match="not saved: it loads an external URL"):
        edit_scene(project, scene_id=scene.id, code=page(body='<img src="https://x.example">'))
    scene.refresh_from_db()
    assert scene.code == code

    # Without code, a new look is drawn from the template, replacing the model's code.
    redrawn = edit_scene(project, scene_id=scene.id, props={"title": "Drawn"})
    assert (redrawn.custom_code, redrawn.name) == (False, "Title card: Drawn")
    assert redrawn.code == render_scene_code(redrawn.props, redrawn.duration_frames, project.fps)
    # A template scene is drawn again from its props.
    drawn = add_scene(project, props={"title": "Drawn"}, duration_frames=90)
    assert not drawn.custom_code
    assert drawn.code == render_scene_code(drawn.props, 90, project.fps)


SCRIPTS = [
    "setTimeout(go, 100)",
    "setInterval(go, 5)",
    "requestAnimationFrame(step)",
    "h1.animate([], {duration: 9, iterations: Infinity})",
    "fetch('/steal')",
    "new XMLHttpRequest()",
    "new WebSocket(u)",
    "navigator.sendBeacon(u, d)",
    "",
]


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_script_is_refused_whatever_it_does(script):
    with pytest.raises(ToolError, match="it has a <script>; scenes run no script"):
        check_scene_code(page(body=f"<script>{script}</script>"))


MARKUP = st.sampled_from(
    ["<", ">", "<!--", "-->", "<!-->", "<script>", "</script>", "<svg>", "<math>", "<style>"]
    + ["</style>", "<textarea>", "<select>", "<template>", "<noscript>", "<table>", "<![CDATA["]
    + ["\x00", "\ud800", "&#0;", "&#xD800;", " on", "=", '"', "url(", "\r", "\ufeff"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(MARKUP | st.text(max_size=5), max_size=30))
def test_any_markup_is_either_accepted_or_refused_with_a_reason(parts):
    code = page(body="".join(parts))
    try:
        assert check_scene_code(code) == code
    except ToolError as refused:
        assert str(refused).startswith("The scene code was not saved: ")
