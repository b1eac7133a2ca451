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
    assert {path.parent.name for path in ROOT.glob("*/rules.py")} <= set(mutmut["source_paths"])
    assert {"manage.py", "templates", "locale", "static", "lms"} <= copied
    assert all((ROOT / path).exists() for path in copied)


def test_every_rules_test_file_is_run_against_the_mutants():
    """A test file of rules left out of the selection would kill no mutant: the score would fall
    without any rule having changed."""
    mutmut = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    rules_tests = {str(path.relative_to(ROOT)) for path in ROOT.glob("tests/*/test_rules*.py")}
    rules_tests |= {str(path.relative_to(ROOT)) for path in ROOT.glob("tests/*/test_validators*.py")}
    assert rules_tests == set(mutmut["pytest_add_cli_args_test_selection"])
