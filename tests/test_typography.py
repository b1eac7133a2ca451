"""Chinese typography in the catalogues: full-width punctuation after Chinese text, one term per
concept (docs/GLOSSARY.md)."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts)
# A Chinese character (or closing full-width bracket) followed by a half-width colon, comma,
# semicolon, question or exclamation mark, outside placeholders and URLs.
HALF_WIDTH_AFTER_CHINESE = re.compile(r"[\u4e00-\u9fff）」”][:;,?!](?!//)")


def translations(path):
    for entry in polib.pofile(str(path)):
        yield from [entry.msgstr, *entry.msgstr_plural.values()]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_half_width_punctuation_after_chinese(path):
    bad = [text for text in translations(path) if HALF_WIDTH_AFTER_CHINESE.search(text)]
    assert not bad, bad


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_suspension_is_called_zhongzhi_everywhere(path):
    """The glossary's term for suspending cultivation is 中止; 暂停 is kept for autosave and for an
    invigilator pausing an exam attempt (the exams catalogue), never for cultivation."""
    exam_pause = path.relative_to(ROOT).parts[0] == "exams"
    bad = [
        text
        for text in translations(path)
        if "暂停" in text and "自动保存" not in text and (not exam_pause or "培育" in text)
    ]
    assert not bad, bad


TEMPLATES = sorted(
    p for p in ROOT.glob("**/templates/**/*") if p.suffix in {".html", ".txt"} and ".venv" not in p.parts
)


def test_templates_put_no_half_width_colon_after_a_translated_label():
    """`{% translate "Training type" %}: …` renders "培训类型: …" (and "今天, 11/30" for a comma);
    the punctuation belongs in the msgid, where the catalogue makes it full-width."""
    after_label = re.compile(r'(?:\{% translate "[^"]+"(?: context "[^"]+")? %\}|\{% endblocktranslate %\})[:;,?!]')
    bad = [
        f"{p.relative_to(ROOT)}: {m.group(0)}" for p in TEMPLATES for m in after_label.finditer(p.read_text("utf-8"))
    ]
    assert not bad, bad


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/accounts/login/code/"])
def test_form_labels_end_with_a_full_width_colon(client, path):
    """Django's own zh_Hans catalogue keeps the label suffix ":" half-width ("密码:"); the
    project's catalogue makes it "密码：" on every form. English keeps "Password:"."""
    labels = re.findall(r"<label[^>]*>([^<]+)</label>", client.get(path).content.decode())
    assert any(label.endswith("：") for label in labels), labels
    assert not [label for label in labels if HALF_WIDTH_AFTER_CHINESE.search(label)], labels
    english = re.findall(r"<label[^>]*>([^<]+)</label>", client.get("/en" + path).content.decode())
    assert "Password:" in english or "Email:" in english or "E-mail:" in english, english


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_trainer_is_peixunshi_everywhere(path):
    """The glossary's term for a trainer is 培训师 (讲师 and 培训讲师 read as two roles)."""
    bad = [text for text in translations(path) if "讲师" in text]
    assert not bad, bad


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_past_a_due_date_is_yuqi_and_chaoshi_only_an_exam_out_of_time(path):
    """Rectification tasks and consultations past their due time are 逾期; 超时 is kept for an exam
    attempt past its time limit (the exams catalogue)."""
    exams = path.relative_to(ROOT).parts[0] == "exams"
    bad = [text for text in translations(path) if "超时" in text and not exams]
    assert not bad, bad


# Literals written exactly as people type or register them: an ICP filing number, a date typed
# the Chinese way in a format hint.
SPACING_EXEMPT = re.compile(r"京ICP备\d+号-\d+|\d{4}年\d{1,2}月\d{1,2}日")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}|<[^>]+>|&\w+;")
CHINESE_TOUCHING_LATIN = re.compile(r"[\u4e00-\u9fff][A-Za-z0-9]|[A-Za-z0-9][\u4e00-\u9fff]")


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_space_separates_chinese_from_latin_letters_and_digits(path):
    """The glossary's one spacing rule: "AEO 认证", "第 282 号", "20 MB", never "AEO认证"."""
    bad = [
        text
        for text in translations(path)
        if CHINESE_TOUCHING_LATIN.search(PLACEHOLDER.sub(" ", SPACING_EXEMPT.sub(" ", text)))
    ]
    assert not bad, bad
