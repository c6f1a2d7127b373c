"""The core's import graph keeps its shape (issue 12 item 3): ``make lint`` (lint-imports) holds a
layers contract — entry points over the app over the interfaces over the services … over the
database — and one that allows no import circle anywhere in the core. Neither is vacuous: a
copy of the core with one circle, or one import upwards, breaks it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.test_packaging import BIN, NOT_ANYWHERE, ROOT, lint_imports, package_dirs

LAYERS = "The core's layers: entry points, app, interfaces, services, plugin machinery, \nmodels, database"
NO_CIRCLES = "No import circles in the core"


def test_the_layers_and_no_circles_contracts_are_kept():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{LAYERS} KEPT" in result.stdout
    assert f"{NO_CIRCLES} KEPT" in result.stdout


def lint_a_copy_with(tmp_path: Path, module: str, line: str):
    """lint-imports on a copy of the core in which `module` (a path under velferd/) has `line` added."""
    shutil.copytree(package_dirs()["velferd"], tmp_path / "velferd", ignore=NOT_ANYWHERE)
    with (tmp_path / "velferd" / module).open("a") as source:
        source.write(f"\n{line}  # noqa\n")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return lint_imports(cwd=tmp_path, env={"PATH": str(BIN), "PYTHONPATH": str(tmp_path), "HOME": str(tmp_path)})


def test_the_registry_importing_the_celery_app_again_is_a_circle(tmp_path):
    """The circle this issue removed: the Celery app imports the registry."""
    result = lint_a_copy_with(tmp_path, "jobs/registry.py", "from velferd.jobs import celery_app")
    assert result.returncode != 0, result.stdout + result.stderr
    assert f"{NO_CIRCLES} BROKEN" in result.stdout
    assert ".registry -> .celery_app" in result.stdout
    assert f"{LAYERS} KEPT" in result.stdout  # a circle inside one layer is the other contract's


@pytest.mark.parametrize(("module", "line", "broken"), [
    # services meet only above them (the API, the toolkit), never in each other
    ("cases.py", "import velferd.billing.run", "velferd.cases is not allowed to import velferd.billing"),
    # upwards: tenancy (under every service, and under the audit trail) asking the clock above it
    ("tenancy.py", "import velferd.clock", "velferd.tenancy is not allowed to import velferd.clock"),
])
def test_an_import_across_or_up_the_layers_breaks_them(tmp_path, module, line, broken):
    """Imports that make no circle, so only the layers can refuse them."""
    result = lint_a_copy_with(tmp_path, module, line)
    assert result.returncode != 0, result.stdout + result.stderr
    assert f"{LAYERS} BROKEN" in result.stdout
    assert broken in result.stdout
    assert f"{NO_CIRCLES} KEPT" in result.stdout
