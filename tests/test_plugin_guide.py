"""docs/plugins.md is true: the plugin it shows, written to a folder outside the repository from
the guide alone, installs under its entry point and passes its own tests.

The guide marks each file of its example with its path in the code fence's info string
(```` ```python title="hello_plugin/__init__.py" ````). This test writes those files to a
temporary folder, makes the entry point discoverable the way an installed distribution is — a
``*.dist-info`` folder with METADATA and an entry_points.txt made from the example's own
pyproject.toml, on the path — and runs the example's tests with pytest in a subprocess. So the
guide fails here when it drifts from the code: a renamed toolkit name, a wrong entry point, a
fixture helper that moved.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import sqlalchemy as sa
import velferd_due

import velferd.toolkit
from velferd import testing

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "plugins.md"
FILE_BLOCK = re.compile(r'^```\w+ title="(?P<path>[^"]+)"\n(?P<body>.*?)^```$', re.M | re.S)


def example_files() -> dict[str, str]:
    """Path → text of every file the guide marks as part of its example."""
    files = {m["path"]: m["body"] for m in FILE_BLOCK.finditer(GUIDE.read_text(encoding="utf-8"))}
    assert files, "docs/plugins.md marks no example file (```python title=\"...\")"
    return files


def write_example(folder: Path) -> tuple[Path, Path]:
    """The example project in `folder`/project, and `folder`/site holding the dist-info that
    makes its entry points visible to importlib.metadata (what ``pip install`` would write)."""
    project, site = folder / "project", folder / "site"
    for path, body in example_files().items():
        target = project / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dist_info = site / f"{meta['name'].replace('-', '_')}-{meta['version']}.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {meta['name']}\nVersion: {meta['version']}\n")
    groups = [f"[{group}]\n" + "".join(f"{name} = {target}\n" for name, target in entries.items())
              for group, entries in meta["entry-points"].items()]
    (dist_info / "entry_points.txt").write_text("\n".join(groups))
    return project, site


@pytest.fixture
def example(tmp_path):
    folder = tmp_path / "outside"
    assert ROOT not in folder.resolve().parents
    return write_example(folder)


def test_the_guides_example_plugin_passes_its_own_tests_outside_the_repository(example):
    project, site = example
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(project)])}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    passed = re.search(r"(\d+) passed", done.stdout)
    assert passed and int(passed[1]) >= 5, done.stdout[-2000:]
    assert "failed" not in done.stdout and " error" not in done.stdout, done.stdout[-2000:]


def test_the_example_route_answers_its_town_and_is_404_for_the_other(example, tmp_path, monkeypatch):
    """The example, loaded through the entry point its pyproject declares, on the shipped helpers."""
    project, site = example
    monkeypatch.syspath_prepend(str(project))
    (entry_point,) = [ep for dist in importlib.metadata.distributions(path=[str(site)]) for ep in dist.entry_points
                      if ep.group == "velferd.plugins"]
    plugin = entry_point.load()
    try:
        template = testing.migrated_sqlite(tmp_path, [plugin])
        with testing.app_with_plugins(testing.sqlite_copy(template, tmp_path), [plugin], tmp_path / "instance") as app:
            bergen, alta = testing.two_towns(app, entry_point.name)
            client = app.test_client()
            r = client.get(bergen.url("/x/hello/greeting"), headers=bergen.greeter.headers)
            assert (r.status_code, r.json) == (200, {"greeting": "Hei", "municipality": "Bergen"})
            r = client.get(alta.url("/x/hello/greeting"), headers=alta.greeter.headers)
            assert r.status_code == 404
    finally:
        for name in [m for m in sys.modules if m == "hello_plugin" or m.startswith("hello_plugin.")]:
            del sys.modules[name]


def test_the_example_imports_from_velferd_only_the_toolkit_and_the_testing_helpers():
    imports = {path: re.findall(r"^\s*(?:from|import) (velferd[\w.]*)", body, re.M)
               for path, body in example_files().items()}
    plugin_side = {m for path, found in imports.items() if not path.startswith("tests/") for m in found}
    test_side = {m for path, found in imports.items() if path.startswith("tests/") for m in found}
    assert plugin_side == {"velferd.toolkit"}
    assert test_side <= {"velferd", "velferd.testing"}  # `from velferd import testing`


def test_every_name_the_guide_lists_for_import_is_in_the_toolkit():
    guide = GUIDE.read_text(encoding="utf-8")
    table = guide[guide.index("| you need | import from `velferd.toolkit` |"):guide.index("A plugin never imports another")]
    listed = {name for row in table.splitlines()[2:] if row.startswith("|") for name in re.findall(r"`(\w+)`", row.split("|")[2])}
    missing = sorted(listed - set(velferd.toolkit.__all__))
    assert not missing, f"docs/plugins.md lists names velferd.toolkit does not export: {missing}"
    mentioned = set(re.findall(r"`toolkit\.(\w+)", guide))
    assert mentioned <= set(velferd.toolkit.__all__), sorted(mentioned - set(velferd.toolkit.__all__))


def test_the_shipped_database_has_a_plugins_own_tables(tmp_path):
    """`migrated_sqlite` runs the plugin's Alembic branch too: DUE's referrals and placements are there."""
    template = testing.migrated_sqlite(tmp_path, [velferd_due])
    engine = sa.create_engine(f"sqlite:///{template}")
    try:
        tables = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"case_file", "due_referral", "due_placement"} <= tables, sorted(tables)
