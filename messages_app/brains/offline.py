"""The offline brain: understands plain requests with no network.

The vocabulary lives in the tables at the top; the parsers below only combine
them. What it cannot resolve gets a reply saying what it needs, and no tool.
"""

import re

from messages_app.orchestrator import BrainContext, Decision
from scenes.models import Scene

DEFAULT_DURATION_FRAMES = 150

COLOURS = {
    "black": "#000000",
    "white": "#ffffff",
    "red": "#ef4444",
    "orange": "#f97316",
    "yellow": "#facc15",
    "gold": "#eab308",
    "green": "#22c55e",
    "teal": "#14b8a6",
    "cyan": "#06b6d4",
    "blue": "#3b82f6",
    "navy": "#1e3a8a",
    "indigo": "#6366f1",
    "purple": "#a855f7",
    "violet": "#8b5cf6",
    "pink": "#ec4899",
    "magenta": "#d946ef",
    "brown": "#92400e",
    "gray": "#6b7280",
    "grey": "#6b7280",
    "silver": "#cbd5e1",
}

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


REPHRASE = (
    'I didn\'t understand that. Try for example: "add a title scene that says Launch Day", '
    '"change the text of scene 1 to Hello", "make scene 1 4 seconds long" or '
    '"delete the last scene".'
)

COLOUR_WORD = r"#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}|" + "|".join(COLOURS)
REF = (
    r"(?:scene\s+(?:number\s+)?(?P<number>\d+)"
    r"|(?:the\s+)?(?P<ordinal>" + "|".join([*ORDINALS, "last"]) + r")(?:\s+scene)?"
    r"|(?P<it>it|this\s+scene|that\s+scene))"
)
DURATION = r"(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>seconds?|secs?|s|frames?)\b"

TRIM = re.compile(
    r"^(?:please\s+)?(?:make|trim|set|cut|change|shorten|lengthen)\s+"
    + REF
    + r"\s+(?:to\s+|be\s+|last\s+|to\s+be\s+)?"
    + DURATION
    + r"(?:\s+long)?\W*$",
    re.I,
)
DELETE = re.compile(r"^(?:please\s+)?(?:delete|remove|drop)\s+" + REF + r"\W*$", re.I)
EDIT_TEXT = [
    re.compile(
        r"^(?:please\s+)?(?:change|set|update|edit|make)\s+the\s+(?:text|title)\s+(?:of|in|on)\s+"
        + REF
        + r"\s+(?:to|say|into)\s+(?P<text>.+)$",
        re.I,
    ),
    re.compile(
        r"^(?:please\s+)?(?:change|set|update)\s+"
        + REF
        + r"(?:'s)?\s+(?:text|title)\s+to\s+(?P<text>.+)$",
        re.I,
    ),
    re.compile(r"^(?:please\s+)?make\s+" + REF + r"\s+say\s+(?P<text>.+)$", re.I),
]
ADD = re.compile(
    r"^(?:please\s+)?(?:add|create|make|insert)\s+(?:a\s+|an\s+|another\s+)?(?:new\s+)?"
    r"(?:title\s+)?(?:scene|card|title|slide)\b(?P<rest>.*)$",
    re.I,
)
ADD_TEXT = re.compile(
    r"(?:that\s+says|saying|which\s+says|that\s+reads|reading|with\s+(?:the\s+)?(?:text|title)"
    r"|:)\s*(?P<text>.+)$",
    re.I,
)
IN_COLOUR = re.compile(r"\s+in\s+(?P<colour>" + COLOUR_WORD + r")\s*$", re.I)
FOR_DURATION = re.compile(r"\s+(?:for|lasting)\s+" + DURATION + r"\s*$", re.I)


class OfflineBrain:
    def decide(self, context: BrainContext) -> Decision:
        text = " ".join(context.text.split())
        for parse in (self.trim, self.delete, self.edit_text, self.add):
            decision = parse(text, context)
            if decision is not None:
                return decision
        return Decision(reply=REPHRASE)

    def trim(self, text: str, context: BrainContext) -> Decision | None:
        match = TRIM.match(text)
        if not match:
            return None
        scene, problem = resolve(match, context)
        if problem:
            return Decision(reply=problem)
        frames = to_frames(match, context.project.fps)
        return Decision(
            reply=(
                f"Scene {scene.order} now lasts {describe_duration(frames, context.project.fps)}."
            ),
            tool="trim_scene",
            args={"scene_id": scene.id, "duration_frames": frames},
        )

    def delete(self, text: str, context: BrainContext) -> Decision | None:
        match = DELETE.match(text)
        if not match:
            return None
        scene, problem = resolve(match, context)
        if problem:
            return Decision(reply=problem)
        return Decision(
            reply=f"Deleted scene {scene.order}, \u201c{scene.name}\u201d.",
            tool="delete_scene",
            args={"scene_id": scene.id},
        )

    def edit_text(self, text: str, context: BrainContext) -> Decision | None:
        match = next((m for p in EDIT_TEXT if (m := p.match(text))), None)
        if not match:
            return None
        scene, problem = resolve(match, context)
        if problem:
            return Decision(reply=problem)
        new_text = unquote(match["text"])
        return Decision(
            reply=f"Scene {scene.order} now reads \u201c{new_text}\u201d.",
            tool="edit_scene",
            args={"scene_id": scene.id, "props": {"title": new_text}},
        )

    def add(self, text: str, context: BrainContext) -> Decision | None:
        match = ADD.match(text)
        if not match:
            return None
        rest = match["rest"]
        frames = DEFAULT_DURATION_FRAMES
        props: dict = {"template": "title"}
        if found := FOR_DURATION.search(rest):
            frames = to_frames(found, context.project.fps)
            rest = rest[: found.start()]
        if found := IN_COLOUR.search(rest):
            props["color"] = colour_hex(found["colour"])
            rest = rest[: found.start()]
        said = ADD_TEXT.search(rest)
        if not said or not unquote(said["text"]):
            return Decision(
                reply='What should the new scene say? For example: "add a title scene that '
                'says Launch Day".'
            )
        props["title"] = unquote(said["text"])
        number = len(context.scenes) + 1
        return Decision(
            reply=(
                f"Added scene {number}, a title card reading \u201c{props['title']}\u201d, "
                f"{describe_duration(frames, context.project.fps)}."
            ),
            tool="add_scene",
            args={"props": props, "duration_frames": frames},
        )


def resolve(match: re.Match, context: BrainContext) -> tuple[Scene | None, str | None]:
    """The scene a reference names, or a reply explaining why there is none."""
    scenes = context.scenes
    if not scenes:
        return (
            None,
            'There are no scenes yet. Add one first, for example: "add a title scene '
            'that says Hello".',
        )
    if match["it"]:
        touched = last_touched_scene_id(context)
        scene = next((s for s in scenes if s.id == touched), None)
        if scene is None:
            return None, 'Which scene do you mean? Say its number, for example "scene 2".'
        return scene, None
    if match["ordinal"]:
        word = match["ordinal"].lower()
        number = len(scenes) if word == "last" else ORDINALS[word]
    else:
        number = int(match["number"])
    if not 1 <= number <= len(scenes):
        count = f"{len(scenes)} scene" + ("s" if len(scenes) != 1 else "")
        return None, f"There is no scene {number}; this project has {count}."
    return scenes[number - 1], None


def last_touched_scene_id(context: BrainContext) -> int | None:
    for message in reversed(context.history):
        if message.role == "assistant" and message.scene_id:
            return message.scene_id
    return None


def to_frames(match: re.Match, fps: int) -> int:
    amount = float(match["amount"])
    if match["unit"].lower().startswith("f"):
        return round(amount)
    return round(amount * fps)


def describe_duration(frames: int, fps: int) -> str:
    seconds = frames / fps
    if frames % fps == 0:
        whole = frames // fps
        return f"{whole} second" + ("s" if whole != 1 else "")
    return f"{seconds:.2f} seconds ({frames} frames)"


def colour_hex(word: str) -> str:
    word = word.lower()
    if word.startswith("#"):
        if len(word) == 4:
            return "#" + "".join(c * 2 for c in word[1:])
        return word
    return COLOURS[word]


def unquote(text: str) -> str:
    text = text.strip().rstrip(".!")
    if len(text) >= 2 and text[0] in "\"'\u201c\u2018" and text[-1] in "\"'\u201d\u2019":
        text = text[1:-1]
    return text.strip()
