"""The wheel carries what the pages need at run time: templates, the CSS and the compiled
catalogues (an installed app has no .po compiler step of its own)."""

from __future__ import annotations

from tests.test_packaging import build, wheel, wheel_files  # noqa: F401  (module fixtures: one wheel built here)
from velferd.web.i18n import LANGUAGES


def test_the_wheel_ships_the_pages_templates_css_and_catalogues(wheel_files):  # noqa: F811
    expected = {"velferd/web/templates/web/base.html", "velferd/web/templates/web/caseload.html",
                "velferd/web/templates/web/case.html", "velferd/web/static/velferd.css"}
    expected |= {f"velferd/web/translations/{lang}/LC_MESSAGES/messages.{ext}" for lang in LANGUAGES
                 for ext in ("po", "mo")}
    assert expected - wheel_files == set()
