"""GIFT and Moodle XML import/export: round trips, atomicity, re-import, bad input, commands."""

import base64
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from exams import services
from exams.models import Question, QuestionBank, QuestionVersion

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "exams" / "data" / "demo-enterprise-2026.gift"
GIFT_FIELDS = ("category", "qtype", "single", "stem", "stem_format", "options", "general_feedback", "difficulty")

TRICKY = """// 注释行
$CATEGORY: $course$/top/培训: 2026/内部控制

// [tag:difficulty:4] [tag:regulation:海关总署令第 282 号 第十条]
::IC 转义 \\: 名称::[markdown]多行题干，
含有未转义的 a=b 与 时间 9:30，以及转义 \\{ \\} \\~ \\# \\=
{
  ~%50%甲 \\= 一#部分正确
  ~%50%乙
  ~%-100%丙#扣分
  ####总体反馈
}

$CATEGORY: top/Trade security
::TF::[plain]封志应当核对。{T#错了#对了}

::SA::海关总署令第____号{=282 =%50%二八二}

::ES::[html]<p>案例分析</p>{}
"""


def gift_import(data, bank="测试题库", **kwargs):
    return services.bank_import(bank_name=bank, data=data.encode() if isinstance(data, str) else data, **kwargs)


def fields(bank, names=GIFT_FIELDS):
    return {q.name: {f: getattr(q, f) for f in (*names, "criteria_area_id")} for q in bank.questions.all()}


def test_tricky_gift_imports_every_field():
    report = gift_import(TRICKY)
    assert report.ok, report.errors
    assert (report.created, report.changed, report.unchanged) == (4, 0, 0)
    q = Question.objects.get(name="IC 转义 : 名称")
    assert q.category == "top/培训: 2026/内部控制"
    assert q.criteria_area.key == "internal_control"
    assert q.stem_format == "markdown" and "a=b" in q.stem and "9:30" in q.stem and "{ } ~ # =" in q.stem
    assert q.options[0] == {"text": "甲 = 一", "fraction": "50", "feedback": "部分正确"}
    assert q.single is False and q.difficulty == 4 and q.regulation_reference == "海关总署令第 282 号 第十条"
    assert q.general_feedback == "总体反馈"
    tf = Question.objects.get(name="TF")
    assert tf.criteria_area.key == "trade_security"
    assert tf.options == [
        {"text": "true", "fraction": "100", "feedback": "对了"},
        {"text": "false", "fraction": "0", "feedback": "错了"},
    ]
    assert Question.objects.get(name="SA").qtype == "shortanswer"
    assert Question.objects.get(name="ES").qtype == "essay"
    assert QuestionVersion.objects.count() == 4


@pytest.mark.parametrize("fmt", ["gift", "xml"])
def test_demo_bank_round_trips(fmt):
    assert gift_import(DEMO.read_bytes()).ok
    bank = QuestionBank.objects.get(name="测试题库")
    names = (*GIFT_FIELDS, "idnumber") if fmt == "gift" else (*services.CONTENT_FIELDS, "status", "idnumber")
    before = fields(bank, names)
    assert bank.questions.get(name="IC-01 关企联系").idnumber == "AEO26-IC-01"
    text, _warnings = services.bank_export(bank=bank, fmt=fmt)
    report = gift_import(text, bank="往返题库")
    assert report.ok, report.errors
    assert fields(QuestionBank.objects.get(name="往返题库"), names) == before
    assert len(before) == 59
    again = gift_import(text, bank="往返题库")
    assert (again.created, again.changed, again.unchanged) == (0, 0, 59)


def test_reimport_counts_new_changed_unchanged_and_versions_changed_ones():
    assert gift_import(TRICKY).ok
    edited = TRICKY.replace("封志应当核对。", "封志应当登记并核对。") + "\n::NEW::新题{TRUE}\n"
    report = gift_import(edited)
    assert (report.created, report.changed, report.unchanged) == (1, 1, 3)
    assert [v.number for v in Question.objects.get(name="TF").versions.order_by("number")] == [1, 2]


def test_a_file_with_one_bad_question_imports_nothing_and_names_every_line():
    bad = TRICKY + "\n::BAD1::没有正确答案{~甲 ~乙}\n\n::NUM::数值题{#3:1}\n\n::OPEN::未闭合{=甲 ~乙\n"
    with translation.override("en"):
        report = gift_import(bad)
    assert not report.ok
    assert QuestionBank.objects.count() == 0 and Question.objects.count() == 0
    joined = "\n".join(report.errors)
    assert "Line 21 “BAD1”" in joined and "Line 23 “NUM”" in joined and "numerical" in joined
    assert "Line 25 “OPEN”" in joined and "not closed" in joined


def test_errors_are_in_chinese_by_default():
    with translation.override("zh-hans"):
        report = gift_import("::X::题{~甲 ~乙}")
    assert report.errors and "第 1 行" in report.errors[0]


def test_positive_weights_must_add_up_to_100():
    report = gift_import("::W::权重{~%50%甲 ~%40%乙 ~%-10%丙}")
    assert not report.ok and "90" in report.errors[0]


def test_unknown_category_area_is_kept_and_reported():
    report = gift_import("$CATEGORY: top/杂项\n\n::U::题{TRUE}")
    assert report.ok and report.warnings
    assert Question.objects.get(name="U").category == "top/杂项"
    assert Question.objects.get(name="U").criteria_area is None


def test_gbk_file_is_decoded_with_a_warning():
    report = gift_import("::G::中文题干{TRUE}".encode("gbk"))
    assert report.ok and report.warnings
    assert Question.objects.get(name="G").stem == "中文题干"


@pytest.mark.parametrize(
    "xml",
    [
        "<quiz><question type='truefalse'>",
        '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><quiz>&b;</quiz>',
        '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>',
    ],
)
def test_malformed_and_hostile_xml_is_refused(xml):
    report = gift_import(xml)
    assert not report.ok and Question.objects.count() == 0


def test_unsupported_xml_types_are_named():
    xml = "<quiz><question type='matching'><name><text>配对</text></name></question></quiz>"
    with translation.override("en"):
        report = gift_import(xml)
    assert "Question 1 “配对”" in report.errors[0] and "matching" in report.errors[0]


@override_settings(EXAMS_IMPORT_MAX_BYTES=100)
def test_files_above_the_limit_are_refused():
    assert not gift_import("::A::" + "长" * 100 + "{TRUE}").ok


def test_existing_bank_with_another_edition_is_an_error():
    assert gift_import("::A::题{TRUE}").ok
    assert not gift_import("::A::题{TRUE}", edition_code="2026-advanced").ok


def test_xml_images_become_wagtail_images_and_round_trip(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    xml = f"""<?xml version="1.0" encoding="UTF-8"?><quiz>
<question type="category"><category><text>$course$/top/贸易安全</text></category></question>
<question type="truefalse"><name><text>IMG</text></name>
<questiontext format="html"><text><![CDATA[<p>看图<img src="@@PLUGINFILE@@/seal.png" alt="封志"></p>]]></text>
<file name="seal.png" path="/" encoding="base64">{base64.b64encode(png).decode()}</file></questiontext>
<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>"""
    assert gift_import(xml).ok
    stem = Question.objects.get(name="IMG").stem
    assert "@@PLUGINFILE@@" not in stem and "/media/" in stem
    text, _ = services.bank_export(bank=QuestionBank.objects.get(name="测试题库"), fmt="xml")
    assert "@@PLUGINFILE@@/" in text and "<file" in text
    assert gift_import(text, bank="往返题库").ok
    assert Question.objects.get(bank__name="往返题库", name="IMG").stem == stem


def test_weights_moodle_does_not_accept_are_rounded_with_a_warning():
    assert gift_import("::W::三选二{~%33.3%甲 ~%33.3%乙 ~%33.4%丙}").ok
    text, warnings = services.bank_export(bank=QuestionBank.objects.get(), fmt="gift")
    assert "%33.33333%" in text and warnings


def test_commands_import_from_stdin_and_export(monkeypatch, tmp_path):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(TRICKY.encode())))
    out = io.StringIO()
    call_command("import_questions", "-", "--bank", "命令题库", stdout=out)
    assert "4" in out.getvalue()
    target = tmp_path / "bank.xml"
    call_command("export_questions", "--bank", "命令题库", "--format", "xml", "-o", str(target))
    assert target.read_text().startswith("<?xml")
    with pytest.raises(CommandError):
        call_command(
            "import_questions", str(DEMO), "--bank", "命令题库", "--edition", "2026-advanced", stderr=io.StringIO()
        )
    dry = io.StringIO()
    call_command("import_questions", str(DEMO), "--bank", "新题库", "--dry-run", stdout=dry)
    assert not QuestionBank.objects.filter(name="新题库").exists()


# ---------------------------------------------------------------- category names with a slash


SLASHED = """$CATEGORY: $course$/top/进出口//加工贸易/内部控制

::S1::[html]<p>料件与成品的对应关系应当可追溯。</p>{TRUE}

$CATEGORY: $course$/top/A//B//C/ /末尾//

::S2::题干{FALSE}
"""


def test_a_slash_inside_a_category_name_is_read_as_moodle_writes_it():
    from exams.formats import category_segments, split_category_path

    assert split_category_path("top/进出口//加工贸易/内部控制") == ["top", "进出口/加工贸易", "内部控制"]
    assert gift_import(SLASHED).ok
    question = Question.objects.get(name="S1")
    assert category_segments(question.category) == ["进出口/加工贸易", "内部控制"]
    assert question.criteria_area.key == "internal_control"
    # A name ending in a slash is padded with a space, as Moodle's assemble_category_path does.
    assert category_segments(Question.objects.get(name="S2").category) == ["A/B/C", "末尾/"]


@pytest.mark.parametrize("fmt", ["gift", "xml"])
def test_category_names_with_a_slash_round_trip(fmt):
    assert gift_import(SLASHED).ok
    text, _warnings = services.bank_export(bank=QuestionBank.objects.get(), fmt=fmt)
    if fmt == "gift":
        assert "$CATEGORY: $course$/top/进出口//加工贸易/内部控制\n" in text
    else:
        assert "<text>$course$/top/进出口//加工贸易/内部控制</text>" in text
    assert gift_import(text, bank="往返题库").ok
    again = QuestionBank.objects.get(name="往返题库")
    assert fields(again, ("category",)) == fields(QuestionBank.objects.get(name="测试题库"), ("category",))
    assert again.questions.get(name="S1").category == "top/进出口//加工贸易/内部控制"


# ---------------------------------------------------------------- Moodle ID numbers


def moodle_xml(questions):
    """A Moodle XML file as Moodle 4 exports it: (idnumber, name, stem) per question."""
    body = "".join(
        f"""<question type="truefalse"><name><text>{name}</text></name>
<questiontext format="html"><text>{stem}</text></questiontext>
<idnumber>{idnumber}</idnumber>
<answer fraction="100" format="moodle_auto_format"><text>true</text></answer>
<answer fraction="0" format="moodle_auto_format"><text>false</text></answer></question>"""
        for idnumber, name, stem in questions
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><quiz>{body}</quiz>'


def test_xml_idnumber_is_imported_kept_and_exported():
    assert gift_import(moodle_xml([("AEO-IC-001", "单证保管", "单证应当保存三年。")])).ok
    assert Question.objects.get(name="单证保管").idnumber == "AEO-IC-001"
    xml, _warnings = services.bank_export(bank=QuestionBank.objects.get(), fmt="xml")
    assert "<idnumber>AEO-IC-001</idnumber>" in xml
    gift_text, _warnings = services.bank_export(bank=QuestionBank.objects.get(), fmt="gift")
    assert "// [id:AEO-IC-001]" in gift_text
    for text in (xml, gift_text):
        assert gift_import(text, bank=f"往返-{len(text)}").ok
        assert Question.objects.get(bank__name=f"往返-{len(text)}").idnumber == "AEO-IC-001"


def test_reimport_matches_by_idnumber_before_name():
    assert gift_import(moodle_xml([("AEO-IC-001", "单证保管", "单证应当保存三年。"), ("", "无编号", "题干")])).ok
    original = Question.objects.get(idnumber="AEO-IC-001")
    # Renamed in Moodle and its text corrected: the same question, a new version.
    report = gift_import(moodle_xml([("AEO-IC-001", "单证保管期限", "单证应当保存十年。"), ("", "无编号", "题干")]))
    assert report.ok, report.errors
    assert (report.created, report.changed, report.unchanged) == (0, 1, 1)
    original.refresh_from_db()
    assert original.name == "单证保管期限" and original.stem == "单证应当保存十年。"
    assert [v.content["name"] for v in original.versions.order_by("number")] == ["单证保管", "单证保管期限"]
    assert Question.objects.count() == 2
    # Unchanged on a second pass; a question without an ID number gains one, matched by name.
    assert gift_import(moodle_xml([("AEO-IC-001", "单证保管期限", "单证应当保存十年。")])).unchanged == 1
    report = gift_import(moodle_xml([("AEO-X-9", "无编号", "题干")]))
    assert (report.created, report.changed) == (0, 1)
    assert Question.objects.get(name="无编号").idnumber == "AEO-X-9"


def test_another_idnumber_under_a_known_name_is_a_conflict_and_nothing_changes():
    assert gift_import(moodle_xml([("A-1", "甲", "题干一"), ("A-2", "乙", "题干二")])).ok
    # A-3 would be a new question but "甲" is taken by A-1.
    report = gift_import(moodle_xml([("A-3", "甲", "题干三"), ("A-2", "乙", "新题干")]))
    assert not report.ok and "Question 1" in report.errors[0] and "A-1" in report.errors[0]
    assert Question.objects.get(idnumber="A-2").stem == "题干二"
    duplicate = gift_import(moodle_xml([("A-1", "甲", "题干一"), ("A-1", "丙", "题干")]))
    assert not duplicate.ok and "same ID number" in duplicate.errors[0]


def test_gift_comment_idnumber_and_escaped_tags():
    report = gift_import("// [id:IC\\]7] [tag:范围\\]内]\n::Q::题干{TRUE}\n")
    assert report.ok, report.errors
    question = Question.objects.get(name="Q")
    assert question.idnumber == "IC]7" and question.tags == ["范围]内"]
    text, _warnings = services.bank_export(bank=QuestionBank.objects.get(), fmt="gift")
    assert "// [id:IC\\]7]" in text and "// [tag:范围\\]内]" in text


def test_import_stores_first_versions_equal_to_the_question_content():
    assert gift_import(DEMO.read_bytes()).ok
    for question in Question.objects.prefetch_related("versions"):
        (version,) = question.versions.all()
        assert version.content == question.content()
        assert version.content_hash == services.content_hash(question.content())


def numbered_bank(n: int, text: str = "题干") -> str:
    return "$CATEGORY: top/内部控制\n\n" + "\n".join(
        f"// [id:Q-{i}]\n::第{i}题::[html]{text}{i}{{TRUE}}\n" for i in range(n)
    )


@pytest.mark.parametrize("step", ["new", "changed"])
def test_import_query_count_does_not_grow_with_questions(step):
    assert gift_import(numbered_bank(1), bank="预热").ok  # first-use caches (content types, log actions)
    counts = []
    for n in (5, 40):
        bank = f"规模{n}"
        if step == "changed":
            assert gift_import(numbered_bank(n), bank=bank).ok
        with CaptureQueriesContext(connection) as queries:
            report = gift_import(numbered_bank(n, "修改后的题干" if step == "changed" else "题干"), bank=bank)
        assert report.ok and (report.created if step == "new" else report.changed) == n
        counts.append(len(queries))
    assert counts[0] == counts[1]
    question = Question.objects.get(bank__name="规模40", name="第39题")
    assert question.versions.count() == (2 if step == "changed" else 1)
    assert question.versions.order_by("-number").first().content == question.content()
