"""What the offline brain says: its fixed replies, and sentences about scenes and edits."""

from assistant.decision import BrainContext
from scenes.models import Scene
from scenes.render import MAX_SPEED, MIN_SPEED, TEMPLATE_LABELS
from scenes.tools import duration_problem

from . import vocabulary as V

REPHRASE = (
    'I didn\'t understand that. Try for example: "add a title scene that says Launch Day", '
    '"make scene 2 navy", "make scene 1 4 seconds long" or "move scene 3 to the start". '
    "I add scenes ("
    + ", ".join(TEMPLATE_LABELS.values())
    + "), change their words, colours, font, speed and length, and move, copy or delete them; "
    'ask "what can you do?" for everything.'
)
NO_SCENES = (
    'There are no scenes yet. Add one first, for example: "add a title scene that says Hello".'
)
WHICH_SCENE = 'Which scene do you mean? Say its number, for example "scene 2".'
ONE_THING = (
    "I can change how long a scene lasts or how it looks, but not both in one message; "
    "please ask for them one at a time."
)
NOWHERE = (
    "I can put a new scene at the start, at the end, or before or after one scene; say for "
    'example "add a title after scene 2 that says Hi".'
)


class Unresolved(Exception):
    """A rule understood the request but cannot act; the reply says why.

    A soft one lets later rules try; it is only shown if none understands.
    """

    def __init__(self, reply: str, soft: bool = False):
        super().__init__(reply)
        self.reply = reply
        self.soft = soft


# --- Replies ------------------------------------------------------------------


def join_and(parts: list[str]) -> str:
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def quoted(text: str) -> str:
    return f"\u201c{text}\u201d"


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def describe_speed(speed: float) -> str:
    return f"{round(speed, 2):g}x"


def describe_items(items: list[str]) -> str:
    return join_and([quoted(i) for i in items])


def check_frames(frames: float, context: BrainContext) -> int:
    """The frames, rounded; a duration out of bounds (or too big to count) is refused."""
    if problem := duration_problem(context.project.fps, frames):
        raise Unresolved(problem)
    return round(frames)


def check_speed(speed: float, whose: str) -> float:
    if not MIN_SPEED <= round(speed, 6) <= MAX_SPEED:
        raise Unresolved(
            f"That would make {whose} play at {describe_speed(speed)}; speeds run from "
            f"{describe_speed(MIN_SPEED)} to {describe_speed(MAX_SPEED)}."
        )
    return speed


def edit_phrases(props: dict, labels: dict) -> list[tuple[str, str]]:
    """(verb, object) pairs describing the props an edit sets."""
    phrases = []
    for prop, value in props.items():
        verb, template = V.EDIT_PHRASES[prop]
        label = labels.get(prop, "")
        words = {
            "text": quoted(value) if isinstance(value, str) else "",
            "items": describe_items(value) if isinstance(value, list) else "",
            "colour": label,
            "article": article(label or TEMPLATE_LABELS.get(str(value), "")),
            "font": V.FONT_LABELS.get(str(value), ""),
            "speed": describe_speed(value) if prop == "speed" else "",
            "label": TEMPLATE_LABELS.get(str(value), ""),
        }
        phrase = template.format(**words)
        if prop == "font" and label:  # a well-known font read as the closest family
            phrase += f" (the closest the scenes have to {label})"
        phrases.append((verb, phrase))
    return phrases


def edit_sentence(scene: Scene, props: dict, labels: dict) -> str:
    """ "Scene 2 now has a red background and uses the serif font." """
    grouped: dict[str, list[str]] = {}
    for verb, thing in edit_phrases(props, labels):
        grouped.setdefault(verb, []).append(thing)
    clauses = []
    for verb, things in grouped.items():
        if not clauses:
            verb = "is now" if verb == "is" else f"now {verb}"
        clauses.append(f"{verb} {join_and(things)}")
    return f"Scene {scene.order} {join_and(clauses)}."
