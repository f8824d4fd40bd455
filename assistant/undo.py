"""Undo in words: what the Undo button and "undo" say they did.

scenes.history finds what undo would revert; the chat's wording for it is
the assistant's, the same for every brain, so the button always does what it
shows.
"""

from projects.models import Project
from scenes.history import undo_target

from .decision import Decision

NOTHING_TO_UNDO = "There is nothing to undo yet."
NOTHING_TO_REDO = 'There is nothing to redo; say "undo" to revert the last change.'
INNER_QUOTES = str.maketrans("\u201c\u201d", "\u2018\u2019")


def describe_undo(project: Project) -> str | None:
    """What "undo" would do now, in words; None when there is nothing to undo."""
    target = undo_target(project)
    if target is None:
        return None
    content, redoing = target
    # Quotes inside the quoted reply become single ones: “Added … ‘Launch Day’ …”.
    inner = content.translate(INNER_QUOTES)
    return f"{'Redid' if redoing else 'Undid'}: \u201c{inner}\u201d"


def decide_undo(project: Project) -> Decision:
    description = describe_undo(project)
    if description is None:
        return Decision(reply=NOTHING_TO_UNDO)
    return Decision(reply=description, tool="undo")


def decide_redo(project: Project) -> Decision:
    """Undo reverts the latest change; when that was itself an undo, it redoes.

    "redo" is only that second case: with nothing undone last, it says so.
    """
    if not (describe_undo(project) or "").startswith("Redid"):
        return Decision(reply=NOTHING_TO_REDO)
    return decide_undo(project)
