"""Real Celery worker and beat processes, and a Redis server of a test's own.

A worker is ``celery -A tests.worker_app worker --pool solo --concurrency 1`` on the real broker,
against the test's database, listening on a queue of its own so parallel tests and helpers on
the shared Redis never take each other's messages. Tests wait for what they expect by polling
(`wait_for`), never by asserting how long something took.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import redis

ROOT = Path(__file__).resolve().parents[1]
CELERY = str(Path(sys.executable).with_name("celery"))


def unique_queue() -> str:
    return f"velferd-test-{uuid.uuid4().hex[:12]}"


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 60, interval: float = 0.2) -> Any:
    """Poll `condition` until it returns something truthy; fail naming `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)


class CeleryProcess:
    """One ``celery -A tests.worker_app <command>`` subprocess with its log in a file."""

    def __init__(self, command: list[str], config: dict, plugins: Iterable[str], log_path: Path):
        self.log_path = log_path
        env = {**os.environ, "VELFERD_TEST_WORKER_CONFIG": json.dumps(config),
               "VELFERD_TEST_WORKER_PLUGINS": ",".join(plugins),
               "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        self._log = open(log_path, "w")
        self.process = subprocess.Popen([CELERY, "-A", "tests.worker_app", *command], cwd=ROOT, env=env,
                                        stdout=self._log, stderr=subprocess.STDOUT)

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text()

    def wait_for_log(self, text: str, timeout: float = 90) -> None:
        def seen():
            if self.process.poll() is not None:
                raise AssertionError(f"celery exited with {self.process.returncode}:\n{self.log()[-3000:]}")
            return text in self.log()

        wait_for(seen, f"'{text}' in the celery log {self.log_path}", timeout)

    def children(self) -> list[int]:
        """The pids of this process's children (a prefork worker's pool processes)."""
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill(self) -> None:
        """SIGKILL the process and its pool children at once, as when its machine or container dies."""
        children = self.children()
        self.process.kill()
        for child in children:
            try:
                os.kill(child, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM (a warm shutdown), then SIGKILL if it does not go."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


def start_worker(config: dict, plugins: Iterable[str], log_path: Path, *, pool: str = "solo",
                 concurrency: int = 1) -> CeleryProcess:
    worker = CeleryProcess(
        ["worker", "--pool", pool, "--concurrency", str(concurrency), "--queues", config["CELERY_QUEUE"],
         "--hostname", f"{config['CELERY_QUEUE']}@%h", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "--loglevel", "INFO"],
        config, plugins, log_path)
    worker.wait_for_log(" ready.")
    return worker


def start_beat(config: dict, plugins: Iterable[str], log_path: Path, schedule_dir: Path) -> CeleryProcess:
    return CeleryProcess(
        ["beat", "-S", "velferd.jobs.beat:ResilientRedBeatScheduler", "--loglevel", "DEBUG",
         "--schedule", str(schedule_dir / "celerybeat-schedule")],
        config, plugins, log_path)


def delete_keys(redis_url: str, pattern: str) -> None:
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=pattern):
        client.delete(key)
    client.close()


# --- a Redis server of the test's own (stopped and restarted without touching the shared one) ---

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis(port: int, workdir) -> subprocess.Popen:
    server = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, socket_connect_timeout=0.2)
    try:
        wait_for(lambda: _answers(client), f"redis-server on port {port}", timeout=10, interval=0.05)
    except AssertionError:
        server.kill()
        raise
    finally:
        client.close()
    return server


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


def stop_redis(server: subprocess.Popen) -> None:
    server.kill()
    server.wait(timeout=10)
