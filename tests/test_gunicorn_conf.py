"""gunicorn's configuration (`velferd.gunicorn_conf`): its settings from the environment, each one a
setting gunicorn knows and accepts, the same proxy rule as the app's ProxyFix, and a real gunicorn
started by the image's ``web`` command on a loopback port against SQLite, serving ``/healthz`` and
where the app writes one JSON line per request (`velferd.request_log`), without the query string.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import gunicorn.config
import pytest

from tests.celery_processes import free_port
from velferd import create_app, gunicorn_conf
from velferd.migrate import upgrade

ROOT = Path(__file__).resolve().parents[1]
SETTING_NAMES = {name for name, value in vars(gunicorn_conf).items()
                 if not name.startswith("_") and name.islower() and not callable(value)
                 and not isinstance(value, type(gunicorn_conf)) and name not in {"annotations"}}
HELPERS: set[str] = set()


@pytest.fixture
def conf(monkeypatch):
    """The module as gunicorn loads it under the environment the test sets (reloaded each time)."""
    for variable in [v for v in os.environ if v.startswith("VELFERD_") or v == "PORT"]:
        monkeypatch.delenv(variable)

    def load(**environ: str):
        for variable, value in environ.items():
            monkeypatch.setenv(variable, value)
        return importlib.reload(gunicorn_conf)

    yield load
    monkeypatch.undo()
    importlib.reload(gunicorn_conf)


def test_defaults_are_fixed_numbers_never_the_cpu_count(conf):
    module = conf()
    assert (module.bind, module.workers, module.threads, module.worker_class) == ("0.0.0.0:8000", 2, 4, "gthread")
    assert (module.timeout, module.graceful_timeout, module.keepalive) == (30, 25, 75)
    assert module.worker_tmp_dir == "/dev/shm" and module.preload_app is False


def test_workers_threads_timeouts_and_bind_come_from_the_environment(conf):
    module = conf(VELFERD_WEB_WORKERS="3", VELFERD_WEB_THREADS="8", VELFERD_WEB_TIMEOUT="60",
                  VELFERD_WEB_GRACEFUL_TIMEOUT="20", VELFERD_WEB_KEEPALIVE="5", PORT="9000")
    assert (module.workers, module.threads, module.timeout, module.graceful_timeout, module.keepalive) == (
        3, 8, 60, 20, 5)
    assert module.bind == "0.0.0.0:9000"
    assert conf(VELFERD_BIND="127.0.0.1:7000").bind == "127.0.0.1:7000"


def test_kubernetes_service_link_velferd_port_is_not_read_as_the_port(conf):
    """A Service named `velferd` puts VELFERD_PORT=tcp://… into every pod of its namespace."""
    assert conf(VELFERD_PORT="tcp://10.0.0.1:80").bind == "0.0.0.0:8000"


@pytest.mark.parametrize("variable, value, reason", [
    ("VELFERD_WEB_WORKERS", "many", "must be a whole number"),
    ("VELFERD_WEB_WORKERS", "0", "must be at least 1"),
    ("VELFERD_WEB_THREADS", "-1", "must be at least 1"),
    ("PORT", "http", "must be a whole number"),
    ("VELFERD_WEB_LOG_LEVEL", "loud", "must be debug, info"),
])
def test_a_bad_setting_stops_the_start_naming_the_variable(conf, variable, value, reason):
    with pytest.raises(RuntimeError) as refused:
        conf(**{variable: value})
    assert variable in str(refused.value) and reason in str(refused.value)


def test_every_name_is_a_gunicorn_setting_and_gunicorn_accepts_its_value(conf):
    """gunicorn silently ignores a name it does not know: a misspelt setting would never apply."""
    module = conf()
    known = {setting.name for setting in gunicorn.config.KNOWN_SETTINGS}
    names = SETTING_NAMES - HELPERS
    assert names - known == set()
    config = gunicorn.config.Config()
    for name in sorted(names):
        config.set(name, getattr(module, name))  # each setting's own validator
    assert config.workers == 2 and config.worker_class_str == "gthread"
    assert config.accesslog is None  # the app writes the request line: one per request, not two
    assert config.logconfig_dict["loggers"]["gunicorn.access"]["handlers"] == []


def test_gunicorn_trusts_no_forwarded_header_so_proxyfix_is_the_one_rule(conf, monkeypatch, tmp_path):
    """The app believes X-Forwarded-* only through ProxyFix, from VELFERD_TRUSTED_PROXIES proxies
    (velferd.proxies); gunicorn must not apply its own rule to the scheme or the path."""
    config = gunicorn.config.Config()
    module = conf()
    for name in ("forwarded_allow_ips", "secure_scheme_headers", "forwarder_headers"):
        config.set(name, getattr(module, name))
    assert config.forwarded_allow_ips == [] and config.secure_scheme_headers == {}
    assert config.forwarder_headers == []
    monkeypatch.setenv("VELFERD_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TRUSTED_PROXIES": 2, "LOAD_PLUGIN_ENTRY_POINTS": False})
    assert (app.wsgi_app.x_for, app.wsgi_app.x_proto, app.wsgi_app.x_host) == (2, 2, 2)


# --- a real gunicorn, started as the image starts it ---------------------------------------------

def clean_env(**settings: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("VELFERD_") and key != "PORT"}
    return {**env, **settings}


def get(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_gunicorn_serves_healthz_and_the_app_writes_one_json_line_per_request(tmp_path):
    database = tmp_path / "velferd.sqlite3"
    upgrade(create_app({"SQLITE_PATH": str(database), "LOAD_PLUGIN_ENTRY_POINTS": False}), "heads")  # the core: fast
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = clean_env(VELFERD_INSTANCE_PATH=str(tmp_path / "instance"), VELFERD_SQLITE_PATH=str(database),
                    VELFERD_BIND=f"127.0.0.1:{port}", VELFERD_WEB_WORKERS="2", VELFERD_WEB_THREADS="2",
                    VELFERD_TRUSTED_PROXIES="1", VELFERD_LOAD_PLUGIN_ENTRY_POINTS="false",
                    VELFERD_JOBS_EMBEDDED_SWEEP_INTERVAL_SECONDS="0")
    with open(tmp_path / "stdout.log", "w") as stdout, open(tmp_path / "stderr.log", "w") as stderr:
        server = subprocess.Popen([sys.executable, "-m", "velferd.entrypoint", "web"], cwd=tmp_path, env=env,
                                  stdout=stdout, stderr=stderr)
    answered: list[tuple[str, int]] = []  # every request that reached gunicorn, the polls too
    try:
        deadline = time.monotonic() + 15
        while not answered or answered[-1][1] != 200:
            assert server.poll() is None, (tmp_path / "stderr.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not answer /healthz within 15 s"
            try:
                answered.append(("/healthz", get(base + "/healthz")))
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        answered.append(("/healthz", get(base + "/healthz?token=s3cret-in-the-query", {
            "X-Request-ID": "req-42", "X-Forwarded-For": "203.0.113.9", "User-Agent": 'probe "quoted"/1.0'})))
        answered.append(("/readyz", get(base + "/readyz")))
        answered.append(("/no-such-page", get(base + "/no-such-page?national_id=01018012345")))
    finally:
        server.send_signal(signal.SIGTERM)
        returncode = server.wait(timeout=30)
    out, err = (tmp_path / "stdout.log").read_text(), (tmp_path / "stderr.log").read_text()
    assert returncode == 0, err
    assert answered[-3:] == [("/healthz", 200), ("/readyz", 200), ("/no-such-page", 404)]

    lines = [json.loads(line) for line in out.splitlines()]
    assert sorted((line["path"], line["status"]) for line in lines) == sorted(answered)
    for line in lines:
        assert line["type"] == "request" and line["method"] == "GET" and line["logger"] == "velferd.requests"
        assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert "s3cret" not in out + err and "01018012345" not in out + err and "?" not in out
    (tagged,) = [line for line in lines if line["request_id"] == "req-42"]
    assert all(len(line["request_id"]) == 32 for line in lines if line is not tagged)  # ids of our own
    assert tagged["request_id"] == "req-42" and tagged["path"] == "/healthz"
    assert tagged["remote_addr"] == "203.0.113.9"  # ProxyFix's client, VELFERD_TRUSTED_PROXIES=1
    assert tagged["user_agent"] == 'probe "quoted"/1.0'
    assert {line["remote_addr"] for line in lines if line is not tagged} == {"127.0.0.1"}

    messages = [json.loads(line) for line in err.splitlines() if line.strip()]  # gunicorn's own, JSON too
    assert any(m["logger"] == "gunicorn.error" and "Listening at" in m["message"] for m in messages)
    assert sum("Booting worker" in m["message"] for m in messages) == 2


def test_the_master_empties_the_metrics_folder_of_an_earlier_run_before_starting(conf, monkeypatch, tmp_path):
    folder = tmp_path / "prometheus"
    folder.mkdir()
    for name in ("counter_123.db", "histogram_456.db"):
        (folder / name).write_bytes(b"stale")
    (folder / "README").write_text("not ours")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    conf().on_starting(server=None)
    assert sorted(path.name for path in folder.iterdir()) == ["README"]
