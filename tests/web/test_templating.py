"""A plugin's templates folder joins the pages' loader (CKAN's add_template_directory, datasette's
plugin templates); the core's templates come first, so a plugin cannot replace a core page."""

from __future__ import annotations

from flask import render_template_string

from velferd.web.templating import add_template_folder


def test_a_plugins_template_folder_is_found_after_the_cores(app, tmp_path):
    folder = tmp_path / "templates"
    (folder / "web").mkdir(parents=True)
    (folder / "web" / "base.html").write_text("a plugin's copy of the base layout")
    (folder / "waiting_list.html").write_text('{% extends "web/base.html" %}{% block content %}waiting list{% endblock %}')
    add_template_folder(app, folder)
    with app.test_request_context("/"):
        page = render_template_string('{% include "waiting_list.html" %}', title="Venteliste")
    assert "waiting list" in page
    assert "Gå til hovedinnholdet" in page  # the core's layout (in nb: no tenant, no choice)
    assert "a plugin's copy" not in page
