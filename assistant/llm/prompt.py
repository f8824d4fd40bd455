"""What the model is told: the system prompt with the storyboard, and the conversation so far.

The prompt stays within PROMPT_TOKEN_BUDGET however large a project grows
(tokens estimated as characters / CHARS_PER_TOKEN): the storyboard lists the
first FULL_SCENES scenes with their props and the rest in short, and when even
that is too long it leaves out a middle stretch in one summary line; scene
code is shown within its own allowance; the chat history is windowed to the
newest messages that fit HISTORY_TOKENS, each cut to MESSAGE_IN_PROMPT_CHARS.
"""

import json

from assistant.abilities import CANNOT, FEATURES
from assistant.decision import BrainContext, Turn
from scenes.catalog import TEMPLATES
from scenes.check import MAX_CODE_CHARS
from scenes.history import last_touched_scene_id
from scenes.models import Scene
from scenes.render import DEFAULT_PROPS, FONTS, TEMPLATE_LABELS, short_duration
from scenes.values import shorten

from .tools import TEMPLATE_HELP, tool_specs

# --- Token budget ------------------------------------------------------------------

CHARS_PER_TOKEN = 4  # a rough estimate for English text and JSON
# The whole request: system prompt, tool schemas, earlier messages and the new one.
PROMPT_TOKEN_BUDGET = 48_000
# Of that: the storyboard's scene lines, the scene code shown, the earlier messages.
STORYBOARD_TOKENS = 10_000
CODE_IN_PROMPT_CHARS = 30_000  # one scene's code, at most
CODE_IN_PROMPT_TOTAL_CHARS = 100_000
HISTORY_TOKENS = 6_000
MESSAGE_IN_PROMPT_CHARS = 2_000  # one earlier message, at most
# N: scenes listed with their props; the later ones are listed in short.
FULL_SCENES = 40
# A text prop in the storyboard, at most (characters), and a list's items.
PROP_TEXT_CHARS = 300
PROP_ITEMS = 20


def estimate_tokens(text: str) -> int:
    return -(-len(text) // CHARS_PER_TOKEN)


# --- Capabilities ------------------------------------------------------------------


def capabilities(fps: int) -> str:
    """What the model tells people it can do: from the catalog and the tools.

    What it cannot do, and where features elsewhere in the app are, come from
    assistant/abilities.py, the tables the offline brain answers from.
    """
    kinds = "\n".join(
        f'- {template.label}: e.g. "{template.example_request}"' for template in TEMPLATES
    )
    changes = "\n".join(f'- {spec.name}: e.g. "{spec.example}"' for spec in tool_specs(fps))
    cannot = "\n".join(
        f"- {what} (asked as: {', '.join(asks[:5])}). Nearest: {nearest}"
        for asks, what, nearest in CANNOT
    )
    elsewhere = "\n".join(f"- {where}" for _, where in FEATURES.values())
    return (
        f"Scene types:\n{kinds}\nChanges (the tools):\n{changes}\n"
        f"What you cannot do yet (say so, and offer the nearest):\n{cannot}\n"
        f"Elsewhere in the app:\n{elsewhere}"
    )


# --- Prompt ----------------------------------------------------------------------

SYSTEM_PROMPT = """\
You are the assistant of chatvideo, where people make short motion-graphics \
videos by chatting. A video is a list of scenes played one after another. You \
change the scenes with the tools.

How to answer:
- Refer to scenes by their number in the storyboard below. In one answer every \
number means the storyboard as shown, whatever your earlier calls in it do; \
give a scene you add all its props in add_scene.
- Several changes in one request ("add a title saying Hello and then a quote \
saying Bye") are several tool calls in one answer, in order: they are made \
together and one undo takes them all back. Call undo alone.
- "It", "that" and "this" mean the scene last added or changed (named under \
the storyboard), unless the user names another.
- Greetings and "what can you do?": answer from "What you can do" below in a \
few sentences (the scene types, what can be changed with an example each, and \
what you cannot do yet), with no tool call.
- Questions about the project ("how long is the video?", "how many scenes?") \
are answered from the storyboard, with no tool call.
- Vague asks ("make it pop", "make it nicer", "spice it up"): do not ask back. \
Make a sensible visible change (for example a stronger accent colour and a \
faster entrance on the scene last added or changed; on every scene when the \
ask is about the whole video), then say in one sentence what you did and how \
to ask for something else. Change nothing that was not asked for.
- If you cannot tell what is wanted at all, say in one sentence what you can \
do and give two example requests.
- What you cannot do: say so plainly and offer the nearest thing you can do, \
with an example request.
- A font that is not in the list: use the closest one of them and say so.
- A tool result that starts with "Refused:" means nothing changed: correct \
the arguments as it says and call again.
- Keep your text short (one or two sentences): it is shown in the chat. Never \
put scene code in your text; code goes in the tool call only.
- A template scene (props only) is usually enough. Write your own `code` when \
the user asks for something the templates cannot show.

What you can do:
{capabilities}

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
A scene's props that its line leaves out have these values: {defaults}.

Storyboard{summary}:
{storyboard}
{last_touched}
"""


def system_prompt(context: BrainContext) -> str:
    project = context.project
    scenes = context.scenes
    total = sum(scene.duration_frames for scene in scenes)
    summary = f" ({len(scenes)} scenes, {short_duration(total, project.fps)})" if scenes else ""
    return SYSTEM_PROMPT.format(
        capabilities=capabilities(project.fps),
        templates="\n".join(f"- {key}: {text}" for key, text in TEMPLATE_HELP.items()),
        fonts=", ".join(FONTS),
        scene_hint="a 5 second scene lasts 5000 ms",
        max_code=MAX_CODE_CHARS,
        project=shorten(project.title, 200),
        width=project.width,
        height=project.height,
        fps=project.fps,
        defaults=json.dumps({k: v for k, v in DEFAULT_PROPS.items() if k != "template"}),
        summary=summary,
        storyboard=storyboard(scenes, project.fps),
        last_touched=last_touched(context),
    )


def last_touched(context: BrainContext) -> str:
    """Which scene "it" means, as the offline brain reads it: from the scene history."""
    scene_id = last_touched_scene_id(context.project)
    numbers = [n for n, scene in enumerate(context.scenes, start=1) if scene.id == scene_id]
    if not numbers:
        return "No scene has been added or changed in the chat yet."
    return f'The scene last added or changed ("it", "that"): scene {numbers[0]}.'


# --- Storyboard --------------------------------------------------------------------


def storyboard(scenes: list[Scene], fps: int) -> str:
    """The scenes as the model sees them, within STORYBOARD_TOKENS (and the code's allowance)."""
    if not scenes:
        return "(no scenes yet)"
    lines, code_budget = [], CODE_IN_PROMPT_TOTAL_CHARS
    for number, line in scene_lines(scenes, fps):
        lines.append(line)
        scene = scenes[number - 1] if number else None
        if scene is None or not scene.custom_code:
            continue
        if len(scene.code) <= min(CODE_IN_PROMPT_CHARS, code_budget):
            code_budget -= len(scene.code)
            lines.append(f"   Code of scene {number}:\n```html\n{scene.code}\n```")
        else:
            lines.append(
                f"   (The code of scene {number} is too long to show here; to change it, "
                "write it anew.)"
            )
    return "\n".join(lines)


def scene_lines(scenes: list[Scene], fps: int) -> list[tuple[int, str]]:
    """(number, line) for the scenes shown; number 0 for the line that sums up a cut.

    The first FULL_SCENES scenes get their props (in at most half the
    budget), later ones a short line; if those do not all fit, the latest
    ones that fit are kept and the stretch before them is summed up.
    """
    budget = STORYBOARD_TOKENS * CHARS_PER_TOKEN
    room_for_summary = 300
    first, used = [], 0
    for number, scene in enumerate(scenes[:FULL_SCENES], start=1):
        line = full_line(number, scene, fps)
        if used + len(line) > budget // 2:
            line = short_line(number, scene, fps)
        first.append((number, line))
        used += len(line) + 1
    tail = []
    for number in range(len(scenes), len(first), -1):
        line = short_line(number, scenes[number - 1], fps)
        if used + len(line) + 1 > budget - room_for_summary:
            break
        tail.append((number, line))
        used += len(line) + 1
    tail.reverse()
    first_cut, last_cut = len(first) + 1, len(scenes) - len(tail)
    if last_cut < first_cut:
        return first + tail
    cut = scenes[first_cut - 1 : last_cut]
    frames = sum(scene.duration_frames for scene in cut)
    summary = (
        f"{first_cut}-{last_cut}. ({len(cut)} scenes, {short_duration(frames, fps)} in all, "
        "left out here to keep this short; they keep their numbers. Ask the user what they "
        "show if it matters.)"
    )
    return [*first, (0, summary), *tail]


def head(number: int, scene: Scene, fps: int) -> str:
    return (
        f'{number}. "{shorten(scene.name, 120)}", {short_duration(scene.duration_frames, fps)} '
        f"({scene.duration_frames} frames)"
    )


def full_line(number: int, scene: Scene, fps: int) -> str:
    """Number, name, duration, template and the props that differ from the defaults."""
    props = {**DEFAULT_PROPS, **scene.props}
    template = props.get("template", "")
    shown = {
        key: compact(value)
        for key, value in props.items()
        if key != "template" and value != DEFAULT_PROPS.get(key)
    }
    if scene.custom_code:
        kind = "its own code (written by the assistant)"
    else:
        kind = f"template {template} ({TEMPLATE_LABELS.get(template, template)})"
    return f"{head(number, scene, fps)}, {kind}; props: {json.dumps(shown, ensure_ascii=False)}"


def short_line(number: int, scene: Scene, fps: int) -> str:
    """Number, name and duration only."""
    return head(number, scene, fps)


def compact(value: object) -> object:
    """A prop value cut to what the storyboard shows."""
    if isinstance(value, str):
        return shorten(value, PROP_TEXT_CHARS)
    if isinstance(value, list):
        kept = [compact(item) for item in value[:PROP_ITEMS]]
        return kept + ([f"... {len(value) - PROP_ITEMS} more"] if len(value) > PROP_ITEMS else [])
    return value


# --- Conversation -------------------------------------------------------------------


def conversation(context: BrainContext) -> list[dict]:
    """The newest earlier messages that fit HISTORY_TOKENS, and the new one, as
    alternating turns starting with the user."""
    window, used = [], 0
    for message in reversed(context.history):
        text = turn_text(message)
        if not text:
            continue
        text = cut(text, MESSAGE_IN_PROMPT_CHARS)
        if used + len(text) > HISTORY_TOKENS * CHARS_PER_TOKEN:
            break
        window.append((message.role, text))
        used += len(text)
    window.reverse()
    turns: list[dict] = []
    for message_role, text in window:
        role = "user" if message_role == "user" else "assistant"
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"] += "\n\n" + text
        elif turns or role == "user":
            turns.append({"role": role, "content": text})
    if turns and turns[-1]["role"] == "user":
        turns[-1]["content"] += "\n\n" + context.text
    else:
        turns.append({"role": "user", "content": context.text})
    return turns


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def turn_text(message: Turn) -> str:
    if message.role == "user":
        return message.content.strip()
    if message.status == "pending":
        return ""
    if message.status == "error":
        return f"(That failed: {message.error or message.content})"
    return message.content.strip()
