"""The scheduler beat runs: celery-redbeat's, made to outlive Redis outages of any length.

redbeat keeps the schedule and a lock in Redis, and on its own it exits on the first fault:
``LockNotOwnedError`` when Redis restarts (the lock key is gone), ``ConnectionError`` when an
outage outlasts a tick — and with beat gone nothing sweeps the outbox or fans a periodic entry
out. `ResilientRedBeatScheduler` catches both in its tick:

* Redis cannot be reached: the tick is skipped and tried again after a backoff that doubles
  from one second up to ``REDBEAT_MAX_INTERVAL_SECONDS`` (a bounded wait, so beat is back
  within that long once Redis is);
* the lock is no longer ours (Redis restarted, or the lock expired during the outage and
  another beat may hold it now): nothing fires until the lock is ours again. Each tick tries to
  take it for up to one interval, so a beat waiting for another one's lock still ticks (and a
  liveness check sees it alive); once it has the lock, it stores the schedule again, because a
  Redis restarted without persistence has lost it too (entries that survived keep their last
  run).

Redis being down when beat starts is handled the same way. Exactly one beat fires at a time,
as before: only the lock's holder sends anything. Should beat exit anyway, its supervisor
restarts it (README, "Background jobs").
"""

from __future__ import annotations

import redis
from celery.beat import Scheduler
from redbeat.schedulers import LUA_EXTEND_TO_SCRIPT, RedBeatScheduler, get_redis

from velferd.redaction import redacting_logger

log = redacting_logger(__name__)
REDIS_UNAVAILABLE = (redis.ConnectionError, redis.TimeoutError)
FIRST_BACKOFF_SECONDS = 1.0


class ResilientRedBeatScheduler(RedBeatScheduler):
    _schedule_stored = False
    _failures = 0

    def setup_schedule(self) -> None:
        try:
            super().setup_schedule()
        except REDIS_UNAVAILABLE as error:
            log.warning("beat: Redis unavailable at start (%s); the schedule is stored once it is back",
                        type(error).__name__)
            return
        self._schedule_stored = True

    def tick(self, *args, **kwargs) -> float:
        try:
            if self.lock_key and self.lock is None and not self._take_lock():
                return self.max_interval  # another beat holds it: wait, ticking
            if not self._schedule_stored:
                self.setup_schedule()
            interval = super().tick(*args, **kwargs)
        except redis.exceptions.LockError:
            log.warning("beat: the lock is no longer ours (Redis restarted, or it expired during an outage); "
                        "nothing fires until it is taken again")
            self.lock, self._schedule_stored = None, False
            return FIRST_BACKOFF_SECONDS
        except REDIS_UNAVAILABLE as error:
            self._failures += 1
            delay = self._backoff()
            log.warning("beat: Redis unavailable (%s); trying again in %.0f s", type(error).__name__, delay)
            return delay
        self._failures = 0
        return interval

    def _backoff(self) -> float:
        return min(FIRST_BACKOFF_SECONDS * 2 ** (self._failures - 1), max(float(self.max_interval), 1.0))

    def _take_lock(self) -> bool:
        """Try for up to one interval to take the lock; True once it is ours. A new lock's
        schedule is stored again (Redis may have lost it with the old lock)."""
        client = get_redis(self.app)
        lock = client.lock(self.lock_key, timeout=self.lock_timeout, sleep=min(1.0, self.max_interval),
                           blocking_timeout=self.max_interval)
        lock.lua_extend = client.register_script(LUA_EXTEND_TO_SCRIPT)  # as redbeat's own lock
        if not lock.acquire():
            log.debug("beat: waiting for the lock held by another beat")
            return False
        log.info("beat: Acquired lock")
        self.lock, self._schedule_stored, self._failures = lock, False, 0
        return True

    def close(self) -> None:
        """Release the lock if Redis can be reached; a beat stopping during an outage just goes
        (its lock expires by itself)."""
        try:
            super().close()
        except REDIS_UNAVAILABLE:
            self.lock = None
            Scheduler.close(self)
