"""Running Alembic from the app's configuration, so `velferd db upgrade` needs no alembic.ini.

Each plugin keeps its migrations in its own version location with its own branch label;
``upgrade heads`` applies the core's and every installed plugin's.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(app: Flask) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    plugins = app.extensions["velferd.plugins"].manifests.values()
    locations = [str(MIGRATIONS / "versions"), *app.extensions.get("velferd.migration_locations", []),
                 *(str(m.migrations) for m in plugins if m.migrations)]
    cfg.set_main_option("version_locations", os.pathsep.join(locations))
    url = app.config["MIGRATION_DATABASE_URL"] or app.config["SQLALCHEMY_DATABASE_URI"]
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["app_role"] = app.config["DB_APP_ROLE"]
    return cfg


def upgrade(app: Flask, revision: str = "heads") -> None:
    command.upgrade(alembic_config(app), revision)


def current_heads(app: Flask) -> list[str]:
    from alembic.script import ScriptDirectory

    return list(ScriptDirectory.from_config(alembic_config(app)).get_heads())
