"""URL rules that compile their URL builder when a URL is first built, not when the app starts.

Werkzeug compiles, for each rule as it is added, a matcher and two URL builders (Python code
generated through ``ast`` and ``compile``). With some 1,200 rules the builders were three
quarters of an app's start-up (about 0.15 s of 0.2 s): paid by every gunicorn worker, every CLI
command, every Celery process and every test's app, though most rules are never built into a URL
in a process's life (an API route is matched, not built). Matching is unchanged; a builder is
compiled on its first use and kept. Two threads building the same rule's first URL at once both
compile it; the results are the same.

Relies on ``Rule._compile_builder``, Werkzeug's own hook for this (3.x; the dependency is pinned
below 4): if it changes, tests/test_url_rules.py fails before anything else does.
"""

from __future__ import annotations

from typing import Any, Callable

from werkzeug.routing import Rule


class LazyBuilderRule(Rule):
    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        compile_now = super()._compile_builder
        compiled: Callable[..., tuple[str, str]] | None = None

        def build(rule: Rule, **values: Any) -> tuple[str, str]:
            nonlocal compiled
            if compiled is None:
                compiled = compile_now(append_unknown)
            return compiled(rule, **values)

        return build
