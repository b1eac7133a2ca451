# AEO Cultivation LMS — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
APPS := cms trainees notices training_bases courses live exams readiness certificates feedback consultations surveys privacy
export DJANGO_SETTINGS_MODULE ?= lms.settings.dev

.PHONY: run test mutation venv dev-venv translations messages lint format check worker clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.runtime
dev-venv: $(VENV)/.dev

translations: venv
	$(PY) manage.py compile_translations

## make run: install, migrate SQLite, load demo data and serve http://127.0.0.1:8000 (tasks in-process).
run: venv translations
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  Site:          http://127.0.0.1:8000/      (English: http://127.0.0.1:8000/en/)"
	@echo "  Log in:        http://127.0.0.1:8000/accounts/login/"
	@echo "  Back office:   http://127.0.0.1:8000/admin/   (trainers, customs officers)"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:8000

## make test: the whole suite, browser tests included. With DATABASE_URL and REDIS_URL set it runs
## on PostgreSQL and proves tasks run in a real Celery worker on Redis.
test: dev-venv translations
	DJANGO_SETTINGS_MODULE=lms.settings.test $(PY) manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=lms.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

## make mutation: mutation testing of every app's rules.py and trainees/validators.py with mutmut
## (configured in pyproject.toml; SQLite, the pure rule tests; over an hour on 2 cores, so not part
## of CI), then the score of each file.
## `make mutation MUTANTS="exams.rules.*"` checks one file again.
mutation: dev-venv translations
	rm -rf mutants
	env -u DATABASE_URL -u REDIS_URL DJANGO_SETTINGS_MODULE=lms.settings.test \
		$(VENV)/bin/mutmut run --max-children $$(nproc) $(MUTANTS)
	$(PY) tests/mutation_scores.py

## make messages: extract every translatable string into the zh_Hans catalogues (needs GNU gettext).
messages: dev-venv
	$(PY) manage.py makemessages -l zh_Hans --no-location --no-obsolete \
		$(foreach app,$(APPS),--ignore=$(app)/*) --ignore=$(VENV)/* --ignore=staticfiles/* --ignore=tests/*
	set -e; for app in $(APPS); do \
		(cd $$app && mkdir -p locale && ../$(PY) ../manage.py makemessages -l zh_Hans --no-location --no-obsolete); \
	done

lint: dev-venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: dev-venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: venv
	$(VENV)/bin/celery -A lms worker -l info --pool=solo

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
