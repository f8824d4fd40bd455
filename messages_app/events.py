"""The project's event channel: what is sent, and who may listen.

Events carry ids only. Pages re-render from the database when they hear one,
so the database stays the single source of truth and a repeated event is
harmless.
"""

import logging

from django_eventstream import send_event
from django_eventstream.channelmanager import DefaultChannelManager

from projects.models import Project

CHANNEL_PREFIX = "project-"

logger = logging.getLogger("chatvideo.events")


def project_channel(project_id: int) -> str:
    return f"{CHANNEL_PREFIX}{project_id}"


def send_project_event(project_id: int, event_type: str, data: dict) -> None:
    """The one way anything is published to a project's open pages.

    Never raises: publishing runs after the work it announces has committed
    (a submit, a reply, a scene change), and a bus that is down (Redis, or
    the events table) must not turn that work into an error or a 500. The
    event is stored before it is sent to Redis, so open pages catch up from
    it when the listener reconnects (messages_app/redis_listener.py), and any
    page catches up on its next load; a failure is logged for the operator.
    """
    try:
        send_event(project_channel(project_id), event_type, data)
    except Exception as exc:
        # One line, not a traceback: a reply streaming during an outage fails
        # to publish a few times a second.
        logger.warning(
            "could not publish %s to project %s: %s",
            event_type,
            project_id,
            repr(exc),
        )


def publish_message(message) -> None:
    """Tell every open page of the project that this message changed."""
    send_project_event(
        message.project_id, "chat", {"message_id": message.id, "status": message.status}
    )


def publish_progress(message) -> None:
    """Tell open pages that a pending reply's text grew (only that message re-renders)."""
    send_project_event(message.project_id, f"progress-{message.id}", {"message_id": message.id})


def publish_scenes(project_id: int) -> None:
    """Tell every open page of the project to re-render its scenes."""
    send_project_event(project_id, "scenes", {"project_id": project_id})


class ProjectChannelManager(DefaultChannelManager):
    """Only a project's owner may read its channel.

    The stream view already answers 404 to everyone else; this is the second
    lock, so a channel can never be read through another route.
    """

    def can_read_channel(self, user, channel: str) -> bool:
        if user is None or not channel.startswith(CHANNEL_PREFIX):
            return False
        project_id = channel.removeprefix(CHANNEL_PREFIX)
        if not project_id.isdigit():
            return False
        return Project.objects.owned_by(user).filter(id=int(project_id)).exists()
