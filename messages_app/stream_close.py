"""Behind Pushpin, a held stream ends as soon as its reader may no longer read it.

Pushpin holds each page's stream and only asks daphne about it again every
CHATVIDEO_PUSHPIN_RECHECK_SECONDS (stream.RecheckProxiedStreams), and that
request carries no cookies: a logout would be noticed only when the page
next reconnected. So whatever takes a reader's access away has Pushpin end
that reader's held streams at once, with an http-stream "close" published
on a channel they hold:

- a logout (user_logged_out), a password change (Django then ends the
  user's other sessions), a user deactivated or deleted: every held stream
  of the user ends. django-eventstream subscribes each held stream to
  `user-<id>` (and again on every next link), a channel no event uses.
- a project changing owner (or deleted): the old owner's held streams of
  that project end (the close carries require_sub, as the library's own
  kick does, so the owner's other projects' streams go on). The project's
  events channel itself is not used: Pushpin checks its ids, and an item
  without the right previous id makes streams re-fetch, not close.

A stream that ends reconnects by itself (the EventSource, from its
Last-Event-ID), and is checked afresh by daphne with the page's cookies: the
user's tabs that still may read come back and catch up on what they missed
(the page resyncs on reopening); the others are refused (the login page, or
a 404) and stay closed. So closing all of a user's streams on one session's
logout costs their other tabs only a reconnect.

The close goes out once the change has committed: sent earlier, a reconnect
could be let in by the state the change is replacing. (A logout deletes the
session just after its signal, in the same request; a closed EventSource
waits seconds before it asks again.) Changes made with QuerySet.update()
send no signal; the periodic re-check still catches those. Without Pushpin
(no GRIP_URL) nothing is sent: daphne holds the streams itself and re-checks
each every CHATVIDEO_STREAM_RECHECK_SECONDS (stream.close_when_not_allowed).
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save
from gripcontrol import HttpStreamFormat
from pubcontrol import Item

from projects.models import Project

from .events import project_channel
from .pushpin_push import push_enabled, push_item

logger = logging.getLogger("chatvideo.stream")

# What a model instance looked like when loaded, to tell what a save changed.
SEEN = "_chatvideo_stream_close_seen"
MISSING = object()
USER_FIELDS = ("password", "is_active")


def reader_channel(user_id: int) -> str:
    """The channel django-eventstream subscribes every held stream of this user to."""
    return f"user-{user_id}"


def close_held_streams(user_id: int, project_id: int | None = None) -> None:
    """Have Pushpin end this user's held streams (of one project only, if given).

    Sent once the current transaction commits (at once outside one); nothing
    without Pushpin. Never raises: the logout or save that called it has
    happened either way, and the re-check still ends the streams later.
    """
    if not settings.GRIP_URL:
        return

    def send() -> None:
        try:
            _publish_close(user_id, project_id)
        except Exception as exc:
            logger.warning("could not have Pushpin close user %s's streams: %s", user_id, repr(exc))

    transaction.on_commit(send)


def _publish_close(user_id: int, project_id: int | None) -> None:
    meta = {}
    if project_id is not None:
        # Only to streams that also hold the project's events channel.
        meta["require_sub"] = "events-" + project_channel(project_id)
    close = HttpStreamFormat(close=True)
    channel = reader_channel(user_id)
    if push_enabled():
        push_item(channel, Item(close, meta=meta))
    else:
        from django_grip import publish

        publish(channel, close, meta=meta)


def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None and user.pk is not None:
        close_held_streams(user.pk)


def _remember(instance, fields: tuple[str, ...]) -> None:
    # __dict__, not getattr: a deferred field must not cost a query here.
    instance.__dict__[SEEN] = {name: instance.__dict__.get(name, MISSING) for name in fields}


def _changed(instance, name: str) -> bool:
    before = instance.__dict__.get(SEEN, {}).get(name, MISSING)
    now = instance.__dict__.get(name, MISSING)
    return now is not MISSING and before != now


def _user_loaded(sender, instance, **kwargs) -> None:
    _remember(instance, USER_FIELDS)


def _user_saved(sender, instance, created: bool, **kwargs) -> None:
    if not created and (
        _changed(instance, "password")
        or (_changed(instance, "is_active") and not instance.is_active)
    ):
        close_held_streams(instance.pk)
    _remember(instance, USER_FIELDS)


def _user_deleted(sender, instance, **kwargs) -> None:
    close_held_streams(instance.pk)


def _project_loaded(sender, instance, **kwargs) -> None:
    _remember(instance, ("owner_id",))


def _project_saved(sender, instance, created: bool, **kwargs) -> None:
    before = instance.__dict__.get(SEEN, {}).get("owner_id", MISSING)
    if not created and before is not MISSING and before != instance.owner_id:
        close_held_streams(before, project_id=instance.pk)
    _remember(instance, ("owner_id",))


def _project_deleted(sender, instance, **kwargs) -> None:
    close_held_streams(instance.owner_id, project_id=instance.pk)


def connect() -> None:
    """Register the handlers (MessagesAppConfig.ready)."""
    user_model = get_user_model()
    user_logged_out.connect(_logged_out, dispatch_uid="chatvideo-close-on-logout")
    post_init.connect(_user_loaded, sender=user_model, dispatch_uid="chatvideo-close-user-init")
    post_save.connect(_user_saved, sender=user_model, dispatch_uid="chatvideo-close-user-save")
    post_delete.connect(
        _user_deleted, sender=user_model, dispatch_uid="chatvideo-close-user-delete"
    )
    post_init.connect(_project_loaded, sender=Project, dispatch_uid="chatvideo-close-project-init")
    post_save.connect(_project_saved, sender=Project, dispatch_uid="chatvideo-close-project-save")
    post_delete.connect(
        _project_deleted, sender=Project, dispatch_uid="chatvideo-close-project-delete"
    )
