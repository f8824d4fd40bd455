"""Events to Pushpin over its ZeroMQ PUSH socket, when PUSHPIN_PUSH_SPEC is set.

django-eventstream publishes to Pushpin's HTTP control port (GRIP_URL)
through gripcontrol, which hands each publish to a background thread that
POSTs it. In daphne that thread has to win the GIL from the request that
published (which goes on rendering its answer), so an event waited for the
request's slow part. A send on a ZeroMQ PUSH socket is a copy into libzmq's
queue (its own I/O thread writes it, without the GIL), so the event leaves
the moment its transaction commits. Pushpin reads these on `push_in_spec`
(deploy/pushpin/pushpin.conf); the item is exactly what the library would
POST, as JSON behind a "J".

The send never blocks: with Pushpin unreachable, up to SEND_QUEUE items wait
for it, and after that a send fails (the caller logs it). The event is
stored either way, so a page catches up when it reconnects.
"""

import atexit
import json
import os
import threading
from urllib.parse import quote

import zmq
from django.conf import settings
from django_eventstream.utils import sse_encode_event
from gripcontrol import HttpStreamFormat
from pubcontrol import Item

# Items queued while Pushpin is unreachable before sends fail.
SEND_QUEUE = 1000

_lock = threading.Lock()
_socket: zmq.Socket | None = None
_socket_for: tuple[int, str] = (0, "")  # the process and spec it was made for


def push_enabled() -> bool:
    return bool(settings.PUSHPIN_PUSH_SPEC)


def push_event(
    channel: str, event_type: str, encoded: str, pub_id: str | None, prev_id: str | None
) -> None:
    """django_eventstream.utils.publish_event's item, sent on the PUSH socket.

    Raises zmq.Again if Pushpin has been unreachable for SEND_QUEUE items.
    """
    if pub_id:
        content = sse_encode_event(event_type, encoded, event_id="%I", escape=True)
        stream = HttpStreamFormat(content, content_filters=["build-id"])
    else:
        stream = HttpStreamFormat(sse_encode_event(event_type, encoded))
    push_item("events-" + quote(channel), Item(stream, id=pub_id, prev_id=prev_id))


def push_item(channel: str, item: Item) -> None:
    """Any publish item to a Pushpin channel (named as Pushpin knows it), on the PUSH socket.

    Raises zmq.Again if Pushpin has been unreachable for SEND_QUEUE items.
    """
    exported = item.export()
    exported["channel"] = channel
    message = b"J" + json.dumps(exported).encode()
    with _lock:
        _push_socket().send(message, zmq.NOBLOCK)


def _push_socket() -> zmq.Socket:
    """This process's socket (a forked child makes its own: ZeroMQ does not survive fork)."""
    global _socket, _socket_for
    wanted = (os.getpid(), settings.PUSHPIN_PUSH_SPEC)
    if _socket is None or _socket_for != wanted:
        if _socket is not None and _socket_for[0] == wanted[0]:
            _socket.close(linger=0)  # the spec changed (tests)
        sock = zmq.Context.instance().socket(zmq.PUSH)
        sock.setsockopt(zmq.SNDHWM, SEND_QUEUE)
        sock.setsockopt(zmq.LINGER, 1000)
        sock.connect(wanted[1])
        _socket, _socket_for = sock, wanted
    return _socket


@atexit.register
def _close() -> None:
    # At exit, give queued items a moment (LINGER) to leave, then drop them.
    if _socket is not None and _socket_for[0] == os.getpid():
        _socket.close()
