"""`make mutation` copies the project into mutants/ and imports it from there: an app missing from
mutmut's configuration makes the whole run stop at Django's start ("No module named …")."""

import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def test_every_project_app_is_mutated_or_copied_for_mutmut():
    mutmut = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    copied = set(mutmut["source_paths"]) | set(mutmut["also_copy"])
    project_apps = {app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists()}
    assert project_apps - copied == set()
    assert {"trainees", "training_bases"} <= set(mutmut["source_paths"])
    assert {"manage.py", "templates", "locale", "static", "lms"} <= copied
    assert all((ROOT / path).exists() for path in copied)
