"""What the model is told: the system prompt with the storyboard, and the conversation so far."""

import json

from assistant.decision import BrainContext, Turn
from scenes.check import MAX_CODE_CHARS
from scenes.models import Scene
from scenes.render import (
    DEFAULT_PROPS,
    FONTS,
    TEMPLATE_LABELS,
    short_duration,
)

from .tools import TEMPLATE_HELP

# How much model-written scene code is shown back to the model in the prompt.
CODE_IN_PROMPT_CHARS = 30_000
CODE_IN_PROMPT_TOTAL_CHARS = 120_000


# --- Prompt ----------------------------------------------------------------------

SYSTEM_PROMPT = """\
You are the assistant of chatvideo, where people make short motion-graphics \
videos by chatting. A video is a list of scenes played one after another. You \
change the scenes with the tools: add_scene, edit_scene, delete_scene, \
trim_scene and undo.

How to answer:
- Make at most ONE tool call per message. If the request needs several \
changes, make the first and say what you will do next.
- Refer to scenes by their number in the storyboard below.
- If the request is unclear, or asks for something the tools cannot do, ask \
or explain in one or two sentences and call no tool.
- Keep your text short (one or two sentences): it is shown in the chat. Never \
put scene code in your text; code goes in the tool call only.
- A template scene (props only) is usually enough. Write your own `code` when \
the user asks for something the templates cannot show.

Templates (props.template):
{templates}
Fonts (props.font): {fonts}. Colours are #rrggbb.

Scene code rules (for `code`): the player shows each scene in a sandboxed \
iframe and drives time itself: on every frame it pauses all of the document's \
animations (document.getAnimations()) and seeks them to the scene time. So:
- Write ONE complete, self-contained HTML document: start with <!doctype html>, \
then <html>, <head> with <meta charset="utf-8"> and one <style>, and <body>.
- Animate with CSS @keyframes, each animation with an explicit duration \
and delay in ms, a finite iteration count and animation-fill-mode both, all \
finished by the end of the scene ({scene_hint}). No infinite animations, no \
transitions triggered by hover, no SVG <animate>.
- CSS only: a scene runs no script. No <script>, no event handler attributes \
(onload=, onclick=...), no javascript: URLs; code with any of them is refused.
- No network: no external URLs, @import, <link>, web fonts or remote images. \
Use system fonts, inline SVG, CSS gradients, or data: URLs.
- Fill the viewport at any size: html, body {{ margin: 0; width: 100%; height: \
100%; overflow: hidden }}, body {{ container-type: size }}, and size everything \
in cqw/cqh (or vw/vh), never in px, so the scene looks the same at {width}x{height} \
and in a small preview.
- At most {max_code:,} characters.

Project: "{project}", {width}x{height} pixels, {fps} frames per second.

Storyboard:
{storyboard}
"""


def system_prompt(context: BrainContext) -> str:
    project = context.project
    return SYSTEM_PROMPT.format(
        templates="\n".join(f"- {key}: {text}" for key, text in TEMPLATE_HELP.items()),
        fonts=", ".join(FONTS),
        scene_hint="a 5 second scene lasts 5000 ms",
        max_code=MAX_CODE_CHARS,
        project=project.title,
        width=project.width,
        height=project.height,
        fps=project.fps,
        storyboard=storyboard(context.scenes, project.fps),
    )


def storyboard(scenes: list[Scene], fps: int) -> str:
    """The scenes as the model sees them: number, name, duration, template, props."""
    if not scenes:
        return "(no scenes yet)"
    lines, code_budget = [], CODE_IN_PROMPT_TOTAL_CHARS
    for number, scene in enumerate(scenes, start=1):
        props = {**DEFAULT_PROPS, **scene.props}
        template = props.get("template", "")
        head = (
            f'{number}. "{scene.name}", {short_duration(scene.duration_frames, fps)} '
            f"({scene.duration_frames} frames)"
        )
        shown = {k: v for k, v in props.items() if k != "template"}
        if not scene.custom_code:
            lines.append(
                f"{head}, template {template} ({TEMPLATE_LABELS.get(template, template)}); "
                f"props: {json.dumps(shown, ensure_ascii=False)}"
            )
            continue
        lines.append(
            f"{head}, its own code (written by the assistant); "
            f"props: {json.dumps(props, ensure_ascii=False)}"
        )
        if len(scene.code) <= min(CODE_IN_PROMPT_CHARS, code_budget):
            code_budget -= len(scene.code)
            lines.append(f"   Code of scene {number}:\n```html\n{scene.code}\n```")
        else:
            lines.append(
                f"   (The code of scene {number} is too long to show here; to change it, "
                "write it anew.)"
            )
    return "\n".join(lines)


def conversation(context: BrainContext) -> list[dict]:
    """Earlier messages and the new one as alternating turns, starting with the user."""
    turns: list[dict] = []
    for message in context.history:
        text = turn_text(message)
        if not text:
            continue
        role = "user" if message.role == "user" else "assistant"
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"] += "\n\n" + text
        elif turns or role == "user":
            turns.append({"role": role, "content": text})
    if turns and turns[-1]["role"] == "user":
        turns[-1]["content"] += "\n\n" + context.text
    else:
        turns.append({"role": "user", "content": context.text})
    return turns


def turn_text(message: Turn) -> str:
    if message.role == "user":
        return message.content.strip()
    if message.status == "pending":
        return ""
    if message.status == "error":
        return f"(That failed: {message.error or message.content})"
    return message.content.strip()
