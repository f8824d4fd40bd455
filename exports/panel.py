"""What the export panel shows: the project's latest exports and a fresh Export button."""

import uuid

from projects.models import Project

# The card list shows this many exports, newest first.
LIST_LIMIT = 10


def export_list_context(project: Project, refusal: str = "") -> dict:
    has_scenes = project.scenes.exists()
    return {
        "project": project,
        "exports": project.exports.all()[:LIST_LIMIT],
        "has_scenes": has_scenes,
        # A fresh key per rendering of the button: a double click sends the same one.
        "export_key": uuid.uuid4(),
        "refusal": refusal,
    }
