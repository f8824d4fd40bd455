"""The time an event's store takes in the caller, before it can be published.

An event is stored in the publishing transaction (the submit's) and sent to
Pushpin only once that commits, so every statement of the store delays every
page. This times messages_app's EventStorage.append_event as the app uses it
(inside a transaction, then its commit; and alone, in autocommit) with the
counter taken by one UPDATE ... RETURNING, against django-eventstream's
own four statements (the counter read, a savepoint, the read FOR UPDATE and
the update), alternating the two so both see the same machine load.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/event_store.py [--events 500]
"""

import argparse
import contextlib
import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streams_scale import Database, manage, server_env  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=500)
    options = parser.parse_args()
    database = Database()
    env = server_env(database)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "chatvideo.settings"
    try:
        manage(env, "migrate", "--noinput")
        import django

        django.setup()
        from django.db import connection, transaction
        from django.test.utils import CaptureQueriesContext

        from messages_app import event_storage
        from messages_app.event_storage import EventStorage

        storage = EventStorage()
        storage.append_event("project-1", "chat", {"warm": 1})  # the channel's counter and id 0

        def in_transaction() -> None:
            with transaction.atomic():
                storage.append_event("project-1", "chat", {"message_id": 1, "status": "pending"})

        def alone() -> None:
            storage.append_event("project-1", "chat", {"message_id": 1, "status": "pending"})

        library = mock.patch.object(event_storage, "_next_eid", lambda channel: None)
        times: dict[tuple[str, str], list[float]] = {}
        statements: dict[str, int] = {}
        for how, call in (("in a transaction, with its commit", in_transaction), ("alone", alone)):
            for i in range(options.events * 2):
                which = "library's four statements" if i % 2 else "one UPDATE ... RETURNING"
                patch = library if i % 2 else contextlib.nullcontext()
                with patch:
                    t0 = time.perf_counter()
                    call()
                    times.setdefault((how, which), []).append((time.perf_counter() - t0) * 1000)
                    if how == "alone" and which not in statements:
                        with CaptureQueriesContext(connection) as queries:
                            call()
                        statements[which] = len(queries)
        ids = list(
            event_storage.models.Event.objects.filter(channel="project-1")
            .order_by("eid")
            .values_list("eid", flat=True)
        )
        assert ids == list(range(len(ids))), "ids are not gap-free"
    finally:
        from django.db import connections

        connections.close_all()
        database.drop()
    print(
        f"\n{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
        f"PostgreSQL={database.postgres}; {options.events} appends each, ms"
    )
    print(f"{'store':<36} {'counter':<28} {'SQL':>4} {'p50':>6} {'p90':>6} {'p99':>6}")
    for (how, which), spent in times.items():
        spent.sort()
        p90, p99 = spent[int(len(spent) * 0.9)], spent[int(len(spent) * 0.99)]
        print(
            f"{how:<36} {which:<28} {statements[which]:>4} "
            f"{statistics.median(spent):>6.2f} {p90:>6.2f} {p99:>6.2f}"
        )


if __name__ == "__main__":
    main()
