"""Exactly one scheduler fires: celery-redbeat holds a lock in Redis while a beat runs, so a
second beat started by mistake waits, and takes over only when the first one stops."""

from __future__ import annotations

import pytest
import redis

from tests.celery_processes import delete_keys, start_beat, unique_queue, wait_for
from tests.conftest import REDIS_URL
from tests.databases import app_config

pytestmark = pytest.mark.redis
PLUGINS = ["tests.plugins.example:ExamplePlugin"]


def test_a_second_beat_waits_for_the_lock_and_takes_over_when_the_first_stops(db_url, database, tmp_path):
    queue = unique_queue()
    prefix = f"{queue}:redbeat:"
    config = app_config(db_url, database.owner_url or db_url, REDIS_URL=REDIS_URL, CELERY_QUEUE=queue,
                        REDBEAT_KEY_PREFIX=prefix, REDBEAT_LOCK_TIMEOUT_SECONDS=10,
                        REDBEAT_MAX_INTERVAL_SECONDS=1)
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = start_beat(config, PLUGINS, tmp_path / "beat-one.log", tmp_path / "one")
    second = None
    client = redis.Redis.from_url(REDIS_URL)
    try:
        first.wait_for_log("beat: Acquired lock")
        lock_key = f"{prefix}:lock"
        assert client.exists(lock_key)
        assert 0 < client.ttl(lock_key) <= 10
        second = start_beat(config, PLUGINS, tmp_path / "beat-two.log", tmp_path / "two")
        second.wait_for_log("beat: Acquiring lock")
        # the first beat keeps ticking and extending the lock; the second keeps waiting for it
        extended = first.log().count("beat: Extending lock")
        wait_for(lambda: first.log().count("beat: Extending lock") >= extended + 3, "the first beat to tick on")
        assert "beat: Acquired lock" not in second.log()
        assert f"{prefix}example-daily" in {k.decode() for k in client.scan_iter(match=f"{prefix}*")}

        first.stop()
        assert "beat: Releasing lock" in first.log()
        second.wait_for_log("beat: Acquired lock")
    finally:
        first.stop()
        if second is not None:
            second.stop()
        client.close()
        delete_keys(REDIS_URL, f"{queue}*")
