"""URLs built by lazily compiled rules (velferd.url_rules) are the URLs Werkzeug's own rules build."""

from __future__ import annotations

from flask import url_for
from werkzeug.routing import Map, Rule

from velferd.url_rules import LazyBuilderRule


def test_the_app_uses_lazy_rules_and_builds_its_urls(app):
    # all but Flask's own static route, added while the app object is made
    assert all(isinstance(rule, LazyBuilderRule) for rule in app.url_map.iter_rules() if rule.endpoint != "static")
    with app.test_request_context():
        assert url_for("cases.read_case", tenant="bergen", case_id=17) == "/api/t/bergen/cases/17"
        assert url_for("cases.read_case", tenant="bergen", case_id=17, tab="x") == "/api/t/bergen/cases/17?tab=x"


def test_a_lazy_rule_builds_what_a_werkzeug_rule_builds():
    def adapter(rule_class):
        return Map([rule_class("/t/<tenant>/cases/<int:case_id>", endpoint="case", defaults={"tab": "journal"}),
                    rule_class("/p/<path:rest>", endpoint="page")]).bind("example.test")

    lazy, eager = adapter(LazyBuilderRule), adapter(Rule)
    for endpoint, values in (("case", {"tenant": "ålesund", "case_id": 3}), ("case", {"tenant": "x", "case_id": 3, "q": "a b"}),
                             ("page", {"rest": "a/b c"})):
        assert lazy.build(endpoint, values) == eager.build(endpoint, values)
        assert lazy.build(endpoint, values, force_external=True) == eager.build(endpoint, values, force_external=True)
    assert lazy.match("/t/x/cases/3") == eager.match("/t/x/cases/3")
