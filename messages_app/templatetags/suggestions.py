"""Suggestion chips: messages a new user can send with one click."""

import uuid

from django import template

register = template.Library()

# Each is a message the offline brain understands, so a click always gets a
# real answer; on an error they offer a fresh start and a way to ask for help.
EMPTY_PROJECT = (
    "add a title scene that says Launch Day in orange",
    "add a title scene that says Hello",
    "what can you do?",
)
AFTER_ERROR = (
    "what can you do?",
    "add a title scene that says Hello",
    "undo",
)


@register.inclusion_tag("messages_app/_suggestions.html")
def suggestion_chips(project_id: int, after_error: bool = False) -> dict:
    """One small form per chip, each with its own idempotency key (a double click sends one)."""
    texts = AFTER_ERROR if after_error else EMPTY_PROJECT
    return {
        "project_id": project_id,
        "chips": [(text, uuid.uuid4()) for text in texts],
        "after_error": after_error,
    }
