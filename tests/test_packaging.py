"""The distribution as it is installed: the stdlib `platform` is not shadowed by the repository's
`platform/` folder, the wheel holds every subpackage and the migrations, and the core never
imports a plugin (import-linter)."""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOT_ANYWHERE = shutil.ignore_patterns("__pycache__", "*.egg-info", ".*_cache", "*.sqlite3", "*.pyc")
NOT_AT_THE_TOP = {".git", ".venv", "venv", "instance", "build", "dist"}


def not_sources(folder: str, names: list[str]) -> set[str]:
    """What a copy of the sources leaves out: caches everywhere, and the work folders at the top."""
    ignored = set(NOT_ANYWHERE(folder, names))
    if Path(folder) == ROOT:
        ignored |= NOT_AT_THE_TOP & set(names)
    return ignored


def test_stdlib_platform_is_not_shadowed_from_the_repository_root():
    result = subprocess.run([sys.executable, "-c", "import platform; print(platform.system())"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == platform.system()
    assert not (ROOT / "platform" / "__init__.py").exists()


def package_dirs() -> dict[str, Path]:
    """Import name → source folder, from pyproject's [tool.setuptools] package-dir."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {name: ROOT / folder for name, folder in pyproject["tool"]["setuptools"]["package-dir"].items()}


def expected_packages() -> list[str]:
    found = []
    for name, folder in package_dirs().items():
        for init in folder.rglob("__init__.py"):
            if "__pycache__" not in init.parts:
                found.append("/".join((name, *init.parent.relative_to(folder).parts)))
    return sorted(found)


def module_folders() -> list[str]:
    """Every folder holding Python modules (packages and migration folders alike), as wheel paths."""
    folders = set()
    for name, folder in package_dirs().items():
        for module in folder.rglob("*.py"):
            if "__pycache__" not in module.parts:
                folders.add("/".join((name, *module.parent.relative_to(folder).parts)))
    return sorted(folders)


def test_wheel_holds_every_module(wheel_files):
    """Migration folders have no __init__.py; their modules must be in the wheel all the same."""
    for folder in module_folders():
        package = package_dirs()[folder.split("/")[0]] / Path(*folder.split("/")[1:])
        expected = {f"{folder}/{module.name}" for module in package.glob("*.py")}
        assert expected - wheel_files == set(), f"modules missing from the wheel in {folder}"


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> subprocess.CompletedProcess:
    """Build the wheel once, from a copy of the sources (the working tree is left untouched and
    parallel runs do not share a build/ folder). --no-isolation: no network needed."""
    source = tmp_path_factory.mktemp("source") / "velferd"
    shutil.copytree(ROOT, source, ignore=not_sources)
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
                            cwd=source, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    result.outdir = out
    return result


@pytest.fixture(scope="module")
def wheel(build) -> Path:
    (built,) = build.outdir.glob("*.whl")
    return built


def test_the_build_prints_no_packaging_warning(build):
    """`pip install .` printed ~160 lines of "Package 'velferd.migrations' is absent from the
    `packages` configuration"; setuptools' warnings are lines starting WARNING (and !! blocks)."""
    output = build.stdout + build.stderr
    assert "absent from the `packages` configuration" not in output
    warnings = [line for line in output.splitlines() if line.startswith("WARNING") or line.strip() == "!!"]
    assert warnings == []


@pytest.fixture(scope="module")
def wheel_files(wheel) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_wheel_holds_every_package(wheel_files):
    packages = expected_packages()
    assert "velferd/plugins" in packages and "velferd/api" in packages
    missing = [p for p in packages if f"{p}/__init__.py" not in wheel_files]
    assert missing == [], f"packages missing from the wheel: {missing}"


def test_wheel_holds_the_migrations(wheel_files):
    migrations = package_dirs()["velferd"] / "migrations"
    expected = {"velferd/migrations/env.py", "velferd/migrations/script.py.mako"}
    expected |= {f"velferd/migrations/versions/{p.name}" for p in (migrations / "versions").glob("*.py")}
    assert len(expected) > 2
    assert expected - wheel_files == set()


def test_wheel_declares_the_velferd_command(wheel, wheel_files):
    (entry_points,) = [name for name in wheel_files if name.endswith(".dist-info/entry_points.txt")]
    with zipfile.ZipFile(wheel) as archive:
        assert "velferd = velferd.cli:main" in archive.read(entry_points).decode()


def lint_imports(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    command = shutil.which("lint-imports", path=str(BIN)) or shutil.which("lint-imports")
    assert command, "lint-imports is not installed (pip install -e '.[test]')"
    return subprocess.run([command, "--no-cache", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=env)


def test_import_contract_is_kept():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The core never imports a plugin KEPT" in result.stdout


def test_import_contract_catches_the_core_importing_a_plugin(tmp_path):
    """The contract is not vacuous: a copy of the core that imports `velferd_due` breaks it."""
    shutil.copytree(package_dirs()["velferd"], tmp_path / "velferd", ignore=NOT_ANYWHERE)
    with (tmp_path / "velferd" / "health.py").open("a") as module:
        module.write("\nimport velferd_due  # noqa\n")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    env = {"PATH": str(BIN), "PYTHONPATH": str(tmp_path), "HOME": str(tmp_path)}
    result = lint_imports(cwd=tmp_path, env=env)
    assert result.returncode != 0, result.stdout + result.stderr
    assert "velferd.health -> velferd_due" in result.stdout


def third_party_imports() -> dict[str, set[str]]:
    """Top-level module → the files of the core and bundled plugins that import it (not stdlib)."""
    import ast

    ours = set(package_dirs())
    found: dict[str, set[str]] = {}
    for folder in package_dirs().values():
        for path in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                    [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in ours and top != "__future__":
                        found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def normalised(distribution: str) -> str:
    import re

    return re.sub(r"[-_.]+", "-", distribution).lower()


def test_every_runtime_import_is_a_declared_runtime_dependency():
    """`pip install .` without extras must run: lxml was imported by velferd.billing.ehf but
    declared only in the test extra. Each import is mapped to the distribution installed for it."""
    import importlib.metadata
    import re

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = {normalised(re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0])
                for requirement in pyproject["project"]["dependencies"]}
    providers = importlib.metadata.packages_distributions()
    undeclared = {}
    for module, files in third_party_imports().items():
        distributions = {normalised(d) for d in providers.get(module, [module])}
        if not distributions & declared:
            undeclared[module] = sorted(files)
    assert undeclared == {}, f"imported at run time but not in [project].dependencies: {undeclared}"
