"""Where page templates come from: the core's folder, then any folder a plugin adds.

The loader is a `ChoiceLoader` kept in ``app.extensions["velferd.web.template_folders"]``, in
the manner of CKAN's ``add_template_directory`` and datasette's plugin template folders, so a
plugin's ``templates/`` folder can be added later without the core naming the plugin. The core's
folder comes first: a plugin adds pages, it does not replace the core's.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader

CORE_TEMPLATES = Path(__file__).parent / "templates"


def add_template_folder(app: Flask, folder: str | Path) -> None:
    """Let the pages find templates in `folder` too (after the core's and earlier ones)."""
    loader: ChoiceLoader = app.extensions["velferd.web.template_loader"]
    loader.loaders.append(FileSystemLoader(str(folder)))


def init_app(app: Flask) -> None:
    loader = ChoiceLoader([FileSystemLoader(str(CORE_TEMPLATES))])
    app.extensions["velferd.web.template_loader"] = loader
    app.jinja_loader = loader
