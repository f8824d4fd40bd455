"""What an export tells the project's open pages: its id, nothing more.

A state change ("export") is stored, so a page that reconnects catches up;
frame ticks go out as "progress-export", which the event storage does not
keep (messages_app/event_storage.py): a long render would otherwise write a
row twice a second. Either way the page fetches the export's card.
"""

from messages_app.events import send_project_event

STATE_EVENT = "export"
TICK_EVENT = "progress-export"


def publish_export(project_id: int, export_id: int, *, tick: bool = False) -> None:
    send_project_event(project_id, TICK_EVENT if tick else STATE_EVENT, {"export_id": export_id})
