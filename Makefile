# Two commands on a fresh machine:  `make demo`  and  `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PG_URL    ?= postgresql+psycopg://root@127.0.0.1:5432/postgres
REDIS_URL ?= redis://127.0.0.1:6379/15
SMOKE_POSTGRES_URL ?=

.PHONY: demo test test-services test-faults test-browser test-chart lint smoke-install bench bench-pages clean catalogues

$(BIN)/velferd: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

## make demo: install, migrate the SQLite database, seed the demo tenants and serve on :5000
demo: $(BIN)/velferd
	$(BIN)/velferd db upgrade
	$(BIN)/velferd demo seed
	$(BIN)/velferd run --host 127.0.0.1 --port 5000

## make test: the whole suite on the embedded default (SQLite, jobs in-process); fault and browser tests aside
test: $(BIN)/velferd
	$(BIN)/python -m pytest -m "not faults and not browser"

## make test-services: the same suite on PostgreSQL (with row-level security) and Redis; skips fail
test-services: $(BIN)/velferd
	VELFERD_TEST_DATABASE_URL=$(PG_URL) VELFERD_TEST_REDIS_URL=$(REDIS_URL) VELFERD_REQUIRE_SERVICES=1 \
		$(BIN)/python -m pytest -m "not faults and not browser"

## make test-faults: the fault tests (@pytest.mark.faults): services of their own killed, restarted, crashed
test-faults: $(BIN)/velferd
	VELFERD_TEST_DATABASE_URL=$(PG_URL) VELFERD_TEST_REDIS_URL=$(REDIS_URL) VELFERD_REQUIRE_SERVICES=1 \
		$(BIN)/python -m pytest -m faults

## make test-browser: the pages in Debian's chromium (/usr/bin/chromium, never a downloaded browser), each
## page screenshotted under test-artifacts/screenshots/ and checked by axe-core (@pytest.mark.browser)
test-browser: $(BIN)/velferd
	$(BIN)/python -m pytest -m browser tests/web

## make test-chart: helm/velferd rendered with each helm/velferd/ci values file (Helm's SDK from helm-python-sdk,
## no cluster, no helm binary) and every manifest validated against the Kubernetes schemas (kubernetes-validate)
test-chart: $(BIN)/velferd
	$(BIN)/python -m pytest tests/chart

## make lint: the import contracts (pyproject.toml): the core never imports a plugin, each plugin only the toolkit,
## the core's layers hold and no import circle anywhere in the core (plugin-to-plugin comes with the plugins)
lint: $(BIN)/velferd
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile

## make smoke-install: the built wheel, installed without extras in a fresh virtualenv, serves /readyz under gunicorn;
## with SMOKE_POSTGRES_URL=postgresql://root@127.0.0.1:5432/postgres also the [server] extra, in production, on PostgreSQL
smoke-install: $(BIN)/velferd
	PYTHON=$(PYTHON) BUILD_PYTHON=$(abspath $(BIN))/python SMOKE_POSTGRES_URL=$(SMOKE_POSTGRES_URL) bash .ci/smoke-install

## make catalogues: the core's and each bundled plugin's catalogue brought up to date with the texts in use
## (pybabel extract/update, then compile): new ones to translate in nb and da, unused ones dropped.
## A plugin's template is its marked and declared texts (velferd.web.plugin_texts). tests/web/test_translations.py
## and test_plugin_catalogues.py say what is left to do.
CORE_CATALOGUE    ?= platform/velferd/web/translations
PLUGIN_CATALOGUES ?= velferd_due=plugins/due/translations velferd_nav_split=plugins/nav_split/translations \
                     velferd_aftercare=plugins/aftercare/translations velferd_dropin=plugins/dropin/translations
catalogues: $(BIN)/velferd
	@set -e; pots=$$(mktemp -d); \
	$(BIN)/pybabel -q extract -F platform/velferd/web/babel.cfg -k lazy_gettext -k N_ -o $$pots/velferd.pot platform/velferd/web; \
	$(BIN)/pybabel -q update -i $$pots/velferd.pot -d $(CORE_CATALOGUE) --ignore-obsolete --no-fuzzy-matching; \
	$(BIN)/pybabel -q compile -d $(CORE_CATALOGUE); \
	for pair in $(PLUGIN_CATALOGUES); do module=$${pair%%=*}; folder=$${pair#*=}; \
		$(BIN)/python -m velferd.web.plugin_texts $$module $$folder $$pots/$$module.pot; \
		for lang in nb da en; do [ -f $$folder/$$lang/LC_MESSAGES/messages.po ] || \
			$(BIN)/pybabel -q init -i $$pots/$$module.pot -d $$folder -l $$lang; done; \
		$(BIN)/pybabel -q update -i $$pots/$$module.pot -d $$folder --ignore-obsolete --no-fuzzy-matching; \
		$(BIN)/pybabel -q compile -d $$folder; \
	done; rm -rf $$pots

bench: $(BIN)/velferd
	$(BIN)/python bench/bench_cases.py

## make bench-pages: the pages vs the API on one tenant of 1,000,000 cases and of 10,000 (SQLite;
## PostgreSQL when VELFERD_BENCH_DATABASE_URL is set). Prints figures; never fails on time.
bench-pages: $(BIN)/velferd
	$(BIN)/python bench/bench_pages.py

clean:
	rm -rf $(VENV) instance build dist *.egg-info
