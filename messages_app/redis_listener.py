"""Keeps a daphne process subscribed to the Redis event bus, through outages.

django-eventstream (5.3.4, pinned; these names are its internals) runs one
``RedisListener.listen()`` task per process: when Redis goes away the task
raises and is never started again, so the process's open pages hear nothing
more until daphne restarts. Here the library's listener runs under a small
supervisor instead: when it fails, a fresh one is made and subscribed again
after a backoff (0.5 s doubling to 10 s), "lost" and "reconnected" are logged,
and after a reconnect every open stream of the process re-reads what it
missed from stored events (the library's own overflow path).
"""

import asyncio
import logging

from django_eventstream.views import ListenerManager, RedisListener, get_listener_manager

logger = logging.getLogger("chatvideo.events")

# django-eventstream's one Pub/Sub channel (eventstream.send_event publishes there).
REDIS_CHANNEL = "events_channel"
FIRST_RETRY_SECONDS = 0.5
MAX_RETRY_SECONDS = 10.0

# asyncio keeps only weak references to tasks; this keeps the supervisor alive.
_supervisors: set[asyncio.Task] = set()


def start_listening() -> None:
    """Start the supervised listener once per process (call from the event loop).

    Uses the listener manager's own flag and lock, so the library never
    starts an unsupervised listener of its own next to this one.
    """
    manager = get_listener_manager()
    if manager.redis_listener is None or manager.redis_listener_started:
        return
    with manager.lock:
        if manager.redis_listener_started:
            return
        manager.redis_listener_started = True
    task = asyncio.get_running_loop().create_task(keep_listening(manager))
    _supervisors.add(task)
    task.add_done_callback(_supervisors.discard)


async def keep_listening(manager: ListenerManager) -> None:
    """Run the library's listener forever, replacing it whenever it fails."""
    delay = FIRST_RETRY_SECONDS
    lost = False
    while True:
        listener = manager.redis_listener
        try:
            # Subscribe first, so events published from now on arrive live and
            # the catch-up below covers everything before.
            await listener.pubsub.subscribe(REDIS_CHANNEL)
            if lost:
                logger.warning("Redis event bus reconnected; open streams catch up")
                lost = False
                catch_up(manager)
            delay = FIRST_RETRY_SECONDS
            await listener.listen()  # returns only if unsubscribed; raises when Redis goes
            raise ConnectionError("the subscription ended")
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if not lost:
                logger.error(
                    "Redis event bus lost (%r); reconnecting every %s-%s s",
                    exc,
                    FIRST_RETRY_SECONDS,
                    MAX_RETRY_SECONDS,
                )
                lost = True
        await _close(listener)
        await asyncio.sleep(delay)
        delay = min(delay * 2, MAX_RETRY_SECONDS)
        manager.redis_listener = RedisListener()  # a fresh client and subscription


def catch_up(manager: ListenerManager) -> None:
    """Make every open stream of this process re-read stored events from its last id.

    Events published while the listener was down were stored but never
    reached this process. A listener marked as overflowed leaves its wait
    and reads the database from the last id it sent (views.stream).
    """
    with manager.lock:
        listeners = {
            listener for group in manager.listeners_by_channel.values() for listener in group
        }
        for listener in listeners:
            listener.overflow = True
            listener.wake_threadsafe()


async def _close(listener: RedisListener) -> None:
    try:
        await listener.pubsub.aclose()
        await listener.redis_client.aclose()
    except Exception:
        pass  # the connection is already gone; nothing to release
