"""The project's event channel: what is sent, and who may listen.

Events carry ids only. Pages re-render from the database when they hear one,
so the database stays the single source of truth and a repeated event is
harmless.
"""

import json
import logging

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django_eventstream.channelmanager import DefaultChannelManager
from django_eventstream.event import Event

from projects.models import Project

from .event_storage import UNSTORED_PREFIX
from .pushpin_push import push_enabled, push_event

CHANNEL_PREFIX = "project-"
# Behind Pushpin, unstored events go to the channel's name with this added.
UNSTORED_GRIP_SUFFIX = ".unstored"

logger = logging.getLogger("chatvideo.events")


def project_channel(project_id: int) -> str:
    return f"{CHANNEL_PREFIX}{project_id}"


def send_project_event(project_id: int, event_type: str, data: dict) -> None:
    """The one way anything is published to a project's open pages.

    Inside a transaction, the event is stored in it and sent once it commits
    (nothing if it rolls back); outside one, stored and sent at once.

    Never raises: publishing runs after the work it announces has committed
    (a submit, a reply, a scene change), and a bus that is down (Redis, or
    the events table) must not turn that work into an error or a 500. The
    event is stored before it is sent to Redis, so open pages catch up from
    it when the listener reconnects (messages_app/redis_listener.py), and any
    page catches up on its next load; a failure is logged for the operator.
    """
    try:
        # Outside a transaction on_commit runs at once: stored and sent now.
        _store_now_publish_on_commit(project_channel(project_id), event_type, data)
    except Exception as exc:
        log_publish_failure(project_id, event_type, exc)


def log_publish_failure(project_id: int | str, event_type: str, exc: Exception) -> None:
    # One line, not a traceback: a reply streaming during an outage fails to
    # publish a few times a second.
    logger.warning("could not publish %s to project %s: %s", event_type, project_id, repr(exc))


def _store_now_publish_on_commit(channel: str, event_type: str, data: dict) -> None:
    """django-eventstream's send_event, split: the row in the caller's transaction, the rest after.

    So a submit stores its event in its own transaction (one commit, not
    two), and nothing is published unless that transaction commits: no page
    hears of a rolled-back row, and a rolled-back event row never existed.
    The publishing half is the library's (5.3.4, pinned): Redis when set,
    else this process's listeners, and Pushpin when GRIP_URL is set; to
    Pushpin first, over its PUSH socket when PUSHPIN_PUSH_SPEC is set
    (pushpin_push.py), since the pages behind it wait on that send.
    """
    from django_eventstream import eventstream
    from django_eventstream.utils import get_storage
    from django_eventstream.views import get_listener_manager

    encoded = json.dumps(data, cls=DjangoJSONEncoder)
    stored = get_storage().append_event(channel, event_type, encoded)

    def publish() -> None:
        try:
            # Pushpin passes an event on only if its previous id is the last
            # one the stream had, else it drops it and has every held stream of
            # the channel re-fetch its next link from daphne. An unstored event
            # (progress) has no id of its own, so it goes, without one, to a
            # channel of its own that held streams also hear (stream.py).
            if event_type.startswith(UNSTORED_PREFIX):
                _to_pushpin(channel + UNSTORED_GRIP_SUFFIX, event_type, encoded, None, None)
            else:
                _to_pushpin(channel, event_type, encoded, str(stored.id), str(stored.id - 1))
        except Exception as exc:
            log_publish_failure(channel.removeprefix(CHANNEL_PREFIX), event_type, exc)
        # Pushpin failing must not stop the send to streams daphne holds itself.
        try:
            if eventstream.redis_client:
                message = {
                    "channel": channel,
                    "event_type": event_type,
                    "data": encoded,
                    "pub_id": str(stored.id),
                }
                eventstream.redis_client.publish("events_channel", json.dumps(message))
            else:
                get_listener_manager().add_to_queues(
                    channel, Event(channel, event_type, encoded, id=stored.id)
                )
        except Exception as exc:
            log_publish_failure(channel.removeprefix(CHANNEL_PREFIX), event_type, exc)

    transaction.on_commit(publish)


def _to_pushpin(
    channel: str, event_type: str, encoded: str, pub_id: str | None, prev_id: str | None
) -> None:
    """One event to Pushpin: on its PUSH socket if set, else the library's HTTP publish.

    Without GRIP_URL the library's publish has no proxy to send to and does nothing.
    """
    from django_eventstream.utils import publish_event

    if push_enabled():
        push_event(channel, event_type, encoded, pub_id, prev_id)
    else:
        publish_event(channel, event_type, encoded, pub_id, prev_id)


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
