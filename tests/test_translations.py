"""Every user-facing string ships in Simplified Chinese."""

from pathlib import Path

import polib
import pytest
from django.utils import translation

from cms.management.commands.compile_translations import project_catalogues

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = project_catalogues(ROOT)


def test_every_app_has_a_chinese_catalogue():
    apps_with_catalogue = {path.relative_to(ROOT).parts[0] for path in CATALOGUES}
    assert {"locale", "cms", "trainees", "training_bases", "courses", "exams", "readiness"} <= apps_with_catalogue


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_fully_translated(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated in {po_path.name}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {po_path.name}: {fuzzy[:10]}"


def test_chinese_is_the_default_and_english_the_second_language(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
    with translation.override("zh-hans"):
        assert translation.gettext("Log in") == "登录"
    with translation.override("en"):
        assert translation.gettext("Log in") == "Log in"
