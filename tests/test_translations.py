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


# Django merges every catalogue into one: LOCALE_PATHS first, then the apps in INSTALLED_APPS
# order. A msgid (with its msgctxt) translated differently by two apps shows the first app's
# Chinese on every page; a sense of its own needs a context (pgettext, `context "…"`).
CHINESE_CATALOGUES = [path for path in CATALOGUES if path.parts[-3] == "zh_Hans" and path.name == "django.po"]


def _translation(entry):
    return tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr


def _where(path):
    """courses/locale/zh_Hans/LC_MESSAGES/django.po -> "courses"; the root catalogue -> "locale"."""
    app = path.relative_to(ROOT).parents[3]
    return str(app) if app.parts else "locale"


def test_a_msgid_has_one_chinese_translation_across_the_catalogues():
    seen = {}
    for path in CHINESE_CATALOGUES:
        for entry in polib.pofile(str(path)):
            if not entry.obsolete:
                seen.setdefault((entry.msgctxt, entry.msgid), {})[_where(path)] = _translation(entry)
    clashes = [
        f"{msgid!r}" + (f" (context {ctx!r})" if ctx else "") + ": " + "; ".join(f"{w} {t}" for w, t in by.items())
        for (ctx, msgid), by in sorted(seen.items(), key=lambda kv: (kv[0][1], kv[0][0] or ""))
        if len(set(by.values())) > 1
    ]
    assert not clashes, f"{len(clashes)} msgids translated differently:\n" + "\n".join(clashes)


# Our catalogues come before Django's, Wagtail's and allauth's, so a msgid we share with them
# shows our Chinese in their pages too (Wagtail's page editor, user admin, allauth's login).
# These overrides were reviewed and are wanted; any other needs a context in our code.
REVIEWED_OVERRIDES = {
    "Action": "操作 is the usual column heading for buttons (Wagtail: 行为, Django admin: 动作)",
    "Actions": "操作, as above",
    "Active": "启用 for a question in use; reads well for a Wagtail user too (有效)",
    "active": "启用, as above",
    "Breadcrumb": "导航路径 is the project's label of every breadcrumb trail",
    "created": "a time field: 创建时间 (allauth's admin: 已建立)",
    "description": "说明 also suits an image's description (Wagtail: 描述)",
    "Download XLSX": "a space between Chinese and Latin letters (docs/GLOSSARY.md)",
    "Duration": "学时 on a course; Django's 时长 only names DurationField",
    "expires at": "失效时间, a time field in allauth's admin (过期时间)",
    "Filter": "筛选 is the word of every filter form (Wagtail: 过滤器)",
    "Format": "格式 (Wagtail images: 格式化, a verb)",
    "History": "历史记录 (Wagtail: 历史)",
    "key": "标识 for a slug; allauth's confirmation key only shows in Django's admin",
    "Log out": "退出登录 (Wagtail, Django admin: 注销)",
    "Messages": "留言 in a consultation thread; Django's messages app name only shows in its admin",
    "Next": "下一页 in pagination, which is where Wagtail uses it too",
    "Page not found": "页面不存在",
    "Previous": "上一页, as Next",
    "Priority": "优先顺序; django-celery-beat's admin is not used",
    "session": "场次 of a training; Django's session model only shows in its admin",
    "Sessions": "场次, as above",
    "started at": "开始时间 (Wagtail: 启动于)",
    "subject": "标题 of a consultation; Wagtail's form pages are not used",
    "version": "版本号 of a numbered version (Django's admin: 版本)",
}


def _third_party_translations():
    """(msgctxt, msgid) -> set of Chinese translations in the zh_Hans catalogues of Django and of
    every installed app that is not part of the project."""
    import django
    from django.apps import apps

    dirs = [Path(django.__file__).parent / "conf" / "locale"]
    dirs += [
        Path(app.path) / "locale" for app in apps.get_app_configs() if not (ROOT / app.name.split(".")[0]).is_dir()
    ]
    found = {}
    for directory in dirs:
        mo = directory / "zh_Hans" / "LC_MESSAGES" / "django.mo"
        if mo.exists():
            for entry in polib.mofile(str(mo)):
                if entry.msgstr:
                    found.setdefault((entry.msgctxt, entry.msgid), set()).add(entry.msgstr)
    return found


def test_our_catalogues_override_django_and_wagtail_only_where_reviewed():
    theirs = _third_party_translations()
    ours = [path for path in CHINESE_CATALOGUES if "admin_translations" not in path.parts]  # corrections by design
    overrides = sorted(
        f"{entry.msgid!r}"
        + (f" (context {entry.msgctxt!r})" if entry.msgctxt else "")
        + f": {_where(path)} {entry.msgstr} / theirs {'、'.join(sorted(theirs[(entry.msgctxt, entry.msgid)]))}"
        for path in ours
        for entry in polib.pofile(str(path))
        if not entry.obsolete
        and entry.msgstr
        and (entry.msgctxt, entry.msgid) in theirs
        and entry.msgstr not in theirs[(entry.msgctxt, entry.msgid)]
        and (entry.msgctxt or entry.msgid not in REVIEWED_OVERRIDES)
    )
    assert not overrides, f"{len(overrides)} translations override Django's or Wagtail's:\n" + "\n".join(overrides)


@pytest.mark.parametrize(
    ("context", "msgid", "chinese"),
    [
        # Wagtail's page editor, user admin and workflows keep their own words.
        (None, "Title", "标题"),
        (None, "Name", "名字"),
        (None, "Group", "组"),
        (None, "Type", "类型"),
        (None, "Owner", "所有者"),
        (None, "In progress", "进行中"),
        (None, "Submitted", "已提交"),
        (None, "From", "从"),
        (None, "Comments", "评论"),
        (None, "Note", "注意"),  # allauth: "Note: you are already logged in as …"
        # One word per concept across the apps.
        (None, "Answered", "已答复"),
        (None, "Overdue", "已逾期"),
        (None, "overdue", "已逾期"),
        (None, "Ready", "已就绪"),
        (None, "Not ready", "未就绪"),
        (None, "Customs district", "关区"),
        (None, "Criteria area", "标准领域"),
        (None, "Revoke", "撤销"),
        (None, "Invigilator", "监考员"),
        (None, "Question", "问题"),
        # Each sense of its own.
        ("person", "Name", "姓名"),
        ("thing", "Name", "名称"),
        ("rectification", "In progress", "整改中"),
        ("learning", "In progress", "学习中"),
        ("exam attempt", "In progress", "作答中"),
        ("exam time", "Overdue", "已超时"),
        ("audit opinion", "Unqualified", "无保留意见"),
        ("audit opinion", "Qualified", "保留意见"),
        ("audit opinion", "Adverse", "否定意见"),
        ("audit opinion", "Disclaimer of opinion", "无法表示意见"),
        (None, "Qualified", "已取得资格"),
        ("period", "From", "开始日期"),
        ("status change", "From", "原状态"),
        ("status change", "To", "新状态"),
        ("exam question", "Question", "试题"),
        ("survey question", "question", "题目"),
        ("report generation", "Ready", "已完成"),
        ("selection quota", "Seats", "名额"),
        (None, "Seats", "席位"),
    ],
)
def test_a_shared_english_word_reads_the_chinese_of_its_sense(context, msgid, chinese):
    with translation.override("zh-hans"):
        assert (translation.pgettext(context, msgid) if context else translation.gettext(msgid)) == chinese
