"""Which job messages are waiting in the broker's queue right now.

The sweeper asks this before it sends a ``queued`` job again: a job queued for a while whose
message no longer waits in the queue either was lost by Redis (a restart without persistence)
or was taken by a worker that has not started it — one that died holding it, or is busy with
the job before it. Sending it again is safe in every one of these cases (only the job's newest
message runs it, and a job is claimed once), so "not waiting in the queue" is enough to know
that the job will not start unless it is sent again.

Celery's Redis transport keeps a queue as one list per priority step (``<queue>``, and
``<queue>\\x06\\x16<step>`` for steps above 0); each item is the message as JSON, its id in
``headers.id`` (which is the job's ``message_id``). Reading the lists is one round trip per
step; it is only done when some queued job has waited long enough to be suspected.
"""

from __future__ import annotations

import json

import redis
from flask import Flask

PRIORITY_SEPARATOR = "\x06\x16"
PRIORITY_STEPS = (0, 3, 6, 9)  # kombu's default


def waiting_message_ids(app: Flask) -> set[str]:
    """The ids of the messages waiting in the app's job queue (raises redis errors when the
    broker cannot be read: then nothing is known to be missing)."""
    queue = app.config["CELERY_QUEUE"]
    timeout = app.config["CELERY_BROKER_TIMEOUT_SECONDS"]
    client = redis.Redis.from_url(app.config["CELERY_BROKER_URL"], socket_timeout=timeout,
                                  socket_connect_timeout=timeout)
    try:
        with client.pipeline(transaction=False) as pipe:
            for step in PRIORITY_STEPS:
                pipe.lrange(queue if step == 0 else f"{queue}{PRIORITY_SEPARATOR}{step}", 0, -1)
            lists = pipe.execute()
    finally:
        client.close()
    return {message_id for raw in (item for items in lists for item in items)
            if (message_id := _message_id(raw)) is not None}


def _message_id(raw: bytes) -> str | None:
    try:
        return json.loads(raw)["headers"]["id"]
    except (ValueError, KeyError, TypeError):
        return None  # not a Celery task message: nothing of ours
