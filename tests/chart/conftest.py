"""Rendering helm/velferd offline with Helm's own Go SDK, and validating what it renders.

Helm is not among Debian's packages here, so the chart is rendered by helm-python-sdk (PyPI), which
bundles Helm v4's SDK as a native library (`helm_python.Chart.render` is `helm template`: the same
values coalescing, values.schema.json check and template engine, no cluster contacted). The
manifests are validated by kubernetes-validate (PyPI), which ships the Kubernetes JSON schemas, so
no schema is downloaded. Both are pinned in pyproject's ``test`` extra. Without them the tests
skip on a developer's machine and fail in CI (``CI=true``), where nothing may be skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

CHART = Path(__file__).resolve().parents[2] / "helm" / "velferd"
CI_VALUES = {path.name.removesuffix("-values.yaml"): path for path in sorted((CHART / "ci").glob("*-values.yaml"))}
RELEASE, NAMESPACE = "velferd", "velferd"


def _import_or_fail(module: str):
    try:
        return __import__(module)
    except ImportError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{module} is missing in CI: pip install -e '.[test]' ({error})", pytrace=False)
        pytest.skip(f"{module} is not installed (pip install -e '.[test]')")


def values_of(name: str) -> dict:
    return yaml.safe_load(CI_VALUES[name].read_text()) or {}


@pytest.fixture(scope="session")
def helm():
    return _import_or_fail("helm_python")


@pytest.fixture(scope="session")
def kubernetes_validate():
    _import_or_fail("kubernetes_validate")
    from kubernetes_validate import utils

    return utils


@pytest.fixture(scope="session")
def chart(helm):
    with helm.Chart.load(CHART) as loaded:
        yield loaded


def render(chart, values: dict, *, upgrade: bool = False) -> list[dict]:
    """Every object the chart renders with ``values`` (NOTES.txt and empty documents left out)."""
    files = chart.render(values, name=RELEASE, namespace=NAMESPACE, is_install=not upgrade, is_upgrade=upgrade)
    return [document for path, text in sorted(files.items()) if not path.endswith("NOTES.txt")
            for document in yaml.safe_load_all(text) if document]


@pytest.fixture(scope="session")
def rendered(chart) -> dict[str, list[dict]]:
    """The objects of each ci values file, by its name (defaults, external-services, …)."""
    return {name: render(chart, values_of(name)) for name in CI_VALUES}
