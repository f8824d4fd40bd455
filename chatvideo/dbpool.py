"""The PostgreSQL connection pool across fork().

Django keeps one psycopg pool per process, made on first use. A process
forked after that (daphne started by the live-server tests, or a process
manager that imports the app before forking) would inherit the parent's pool:
its sockets shared with the parent and none of its worker threads. The child
forgets it instead, without closing anything (that would close the parent's
connections too), and makes its own on first use.
"""

import os

from django.db import connection


def forget_inherited_pools() -> None:
    from django.db.backends.postgresql.base import DatabaseWrapper

    DatabaseWrapper._connection_pools.clear()


def forget_pools_after_fork() -> None:
    """Register forget_inherited_pools to run in every child process."""
    os.register_at_fork(after_in_child=forget_inherited_pools)


def release_connection() -> None:
    """Close this thread's database connection (with a pool: hand it back).

    For work that waits a long time without the database (a reply waiting for
    its runner, a brain waiting for a model): the pool is small, and a thread
    that keeps its connection while it waits leaves others none. Inside a
    transaction it does nothing: closing there would lose the transaction.
    """
    if not connection.in_atomic_block:
        connection.close()
