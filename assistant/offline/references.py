"""Scene references: which scene "scene 2", "the quote", "it" or "the last one" means."""

import re

from assistant.decision import BrainContext
from scenes.history import changes_latest_first, last_touched_scene_id
from scenes.models import Scene
from scenes.render import TEMPLATE_LABELS

from . import vocabulary as V
from .parsers import clean_text, spoken_number, squash
from .replies import NO_SCENES, WHICH_SCENE, Unresolved, join_and

# --- Scene references ---------------------------------------------------------


def count_scenes(n: int) -> str:
    return f"{n} scene" + ("s" if n != 1 else "")


def by_number(number: int, context: BrainContext) -> Scene:
    scenes = context.scenes
    if not 1 <= number <= len(scenes):
        raise Unresolved(
            f"There is no scene {number}; this project has {count_scenes(len(scenes))}."
        )
    return scenes[number - 1]


def touched_scene(context: BrainContext) -> Scene:
    """The scene the latest change touched ("it", "this scene"), from the scene
    history; a later ask of the same message means the scene the earlier one
    touched (context.touched, see brain.py). Without any recorded change, the
    chat's latest successful tool message says."""
    if (planned := getattr(context, "touched", None)) is not None:
        return planned
    if changes_latest_first(context.project).exists():
        scene_id = last_touched_scene_id(context.project)
        scene = next((s for s in context.scenes if s.id == scene_id), None)
        if scene is None:
            raise Unresolved(WHICH_SCENE)
        return scene
    for message in reversed(context.history):
        if message.role == "assistant" and message.status == "success" and message.tool:
            scene = next((s for s in context.scenes if s.id == message.scene_id), None)
            if scene is None:
                raise Unresolved(WHICH_SCENE)
            return scene
    if len(context.scenes) == 1:
        return context.scenes[0]
    raise Unresolved(WHICH_SCENE)


def plural_label(template: str) -> str:
    return V.TEMPLATE_PLURALS.get(template, TEMPLATE_LABELS[template] + "s")


def scene_numbers(scenes: list[Scene]) -> str:
    return join_and([str(s.order) for s in scenes])


def by_words(words: str, context: BrainContext) -> Scene:
    """The one scene whose text contains the words ("the Launch Day scene")."""
    wanted = clean_text(words).casefold()

    def texts(scene: Scene) -> list[str]:
        props = scene.props or {}
        return [str(props.get("title", "")), str(props.get("subtitle", "")), scene.name]

    exact = [s for s in context.scenes if any(t.casefold() == wanted for t in texts(s))]
    found = exact or [s for s in context.scenes if any(wanted in t.casefold() for t in texts(s))]
    if not found:
        raise Unresolved(
            f"I can't find a scene with \u201c{clean_text(words)}\u201d in it. "
            'Say its number, for example "scene 2".',
            soft=True,
        )
    if len(found) > 1:
        raise Unresolved(
            f"Which one do you mean? Scenes {scene_numbers(found)} all mention "
            f"\u201c{clean_text(words)}\u201d; say its number, for example "
            f'"scene {found[0].order}".'
        )
    return found[0]


def by_template(word: str, context: BrainContext) -> Scene:
    template = V.lookup(V.TEMPLATE_BY_WORD, word)
    label = TEMPLATE_LABELS[template]
    found = [s for s in context.scenes if (s.props or {}).get("template", "title") == template]
    if len(found) == 1:
        return found[0]
    if not found:
        try:
            return by_words(word, context)
        except Unresolved:
            raise Unresolved(f"There is no {label} in this project.") from None
    raise Unresolved(
        f"Which {label} do you mean? Scenes {scene_numbers(found)} are {plural_label(template)}; "
        f'say its number, for example "scene {found[0].order}".'
    )


def resolve(match: re.Match, context: BrainContext) -> Scene:
    """The scene a reference names; raises Unresolved saying why there is none."""
    scenes = context.scenes
    if not scenes:
        raise Unresolved(NO_SCENES)
    if number := match["number"]:
        return by_number(int(number) if number.isdigit() else int(spoken_number(number)), context)
    if ordinal := match["ordinal"] or match["ordinal2"]:
        digits = re.match(r"\d+", ordinal)
        return by_number(int(digits[0]) if digits else V.lookup(V.ORDINALS, ordinal), context)
    if from_end := match["from_end"] or match["from_end2"]:
        index = len(scenes) - 1 - V.lookup(V.FROM_END, from_end)
        if index < 0:
            raise Unresolved(
                f"There is no {squash(from_end).lower()} scene; "
                f"this project has {count_scenes(len(scenes))}."
            )
        return scenes[index]
    if relative := match["relative"]:
        base = touched_scene(context)
        step = V.lookup(V.RELATIVE, relative)
        if not 1 <= base.order + step <= len(scenes):
            where = "before" if step < 0 else "after"
            raise Unresolved(f"There is no scene {where} scene {base.order}.")
        return by_number(base.order + step, context)
    if match["it"]:
        return touched_scene(context)
    if match["kind"]:
        return by_template(match["kind"], context)
    return by_words(match["said"] or match["named"], context)


REF_GROUPS = ("number", "ordinal", "ordinal2", "from_end", "from_end2", "relative", "it")
REF_GROUPS += ("kind", "said", "named")


def scene_of(match: re.Match, context: BrainContext) -> Scene:
    """The scene the match names, or the one "it" means when it names none."""
    if any(match.groupdict().get(g) for g in REF_GROUPS):
        return resolve(match, context)
    if not context.scenes:
        raise Unresolved(NO_SCENES)
    return touched_scene(context)
