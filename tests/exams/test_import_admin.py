"""The question import and bulk actions of the back office answer bad files and bad input with
numbered messages, never a failed confirmation; a confirmation imports only the file whose
preview was shown."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exams import services
from exams.models import Question, QuestionBank
from readiness.models import CriteriaArea
from tests.factories import UserFactory
from trainees.roles import Role

pytestmark = pytest.mark.django_db
IMPORT = "/admin/exams/import/"
GOOD = "::好题::内部控制制度应当由谁批准？ {=管理层 ~任何员工}\n"


@pytest.fixture
def trainer(client):
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    return client


def preview(client, text: str, bank: str = "导入题库"):
    upload = SimpleUploadedFile("bank.gift", text.encode("utf-8"), "text/plain")
    data = {"bank": bank, "file": upload, "format": "", "audience": "enterprise", "edition": "2026-advanced"}
    return client.post(IMPORT, data)


def errors(response) -> list[str]:
    return list(response.context["report"].errors)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\n\n::NUL题::q\x00 {=a ~b}\n", ["3", "U+0000"]),
        ("$CATEGORY: top/" + "类" * 501 + "\n\n" + GOOD, ["500", "505"]),
        ("// [tag:regulation:" + "令" * 201 + "]\n" + GOOD, ["200", "201"]),
        ("::" + "名" * 256 + ":: 题干 {=a ~b}\n", ["255", "256"]),
    ],
    ids=["nul", "category", "regulation", "name"],
)
def test_what_the_database_cannot_store_is_a_preview_error_and_no_confirmation_is_offered(trainer, text, expected):
    response = preview(trainer, text)
    assert response.status_code == 200
    found = " ".join(errors(response))
    assert all(word.lower() in found.lower() for word in expected), found
    assert 'name="confirm"' not in response.content.decode()
    response = trainer.post(IMPORT, {"confirm": "1", "digest": ""})
    assert response.status_code == 200
    assert not QuestionBank.objects.filter(name="导入题库").exists()


def test_a_refused_new_preview_discards_the_earlier_file(trainer):
    first = preview(trainer, GOOD)
    digest = first.context["digest"]
    assert first.context["report"].ok and digest
    refused = preview(trainer, "::坏题:: 题干 {=a ~b}\n// [tag:difficulty:9]\n::坏题:: 题干 {=a ~b}\n")
    assert errors(refused)
    response = trainer.post(IMPORT, {"confirm": "1", "digest": digest}, follow=True)
    assert response.status_code == 200
    assert not QuestionBank.objects.filter(name="导入题库").exists()
    assert "重新上传" in response.content.decode()


def test_confirming_an_older_tab_never_imports_the_file_previewed_in_another(trainer):
    tab_one = preview(trainer, GOOD, bank="甲题库")
    preview(trainer, GOOD.replace("好题", "另一题"), bank="乙题库")
    trainer.post(IMPORT, {"confirm": "1", "digest": tab_one.context["digest"]})
    assert not QuestionBank.objects.filter(name__in=["甲题库", "乙题库"]).exists()


def test_preview_names_type_and_result_in_words(trainer):
    page = preview(trainer, GOOD).content.decode()
    assert "multichoice" not in page.split("<tbody>")[1]
    assert "新增" in page


def test_bulk_move_sets_the_area_the_category_names_and_refuses_an_empty_or_long_category(trainer):
    assert services.bank_import(bank_name="移动题库", data=GOOD.encode(), edition_code="2026-advanced").ok
    question = Question.objects.get(bank__name="移动题库")
    finance = CriteriaArea.objects.get(edition__code="2026-advanced", key="financial_status")
    url = reverse("wagtail_bulk_action", args=("exams", "question", "move")) + f"?id={question.pk}"
    for bad in ("", "   ", "top", "top/" + "类" * 600):
        response = trainer.post(url, {"category": bad})
        assert response.status_code == 200, bad
        assert question.versions.count() == 1, bad  # nothing moved, no new version
    response = trainer.post(url, {"category": f"top/AEO 认证培训/{finance.name_zh}"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.category == f"top/AEO 认证培训/{finance.name_zh}"
    assert question.criteria_area_id == finance.pk
    assert question.versions.count() == 2


def test_bulk_actions_are_refused_to_people_without_the_change_permission(client):
    assert services.bank_import(bank_name="移动题库", data=GOOD.encode(), edition_code="2026-advanced").ok
    question = Question.objects.get(bank__name="移动题库")
    client.force_login(UserFactory(roles=[Role.VALIDATOR_CANDIDATE]))
    url = reverse("wagtail_bulk_action", args=("exams", "question", "retire")) + f"?id={question.pk}"
    client.post(url)
    question.refresh_from_db()
    assert question.status != Question.Status.RETIRED


def test_the_blueprint_list_links_to_the_draw_preview_only_for_those_it_lets_in(client):
    from exams.models import ExamBlueprint

    assert services.bank_import(bank_name="草稿题库", data=GOOD.encode(), edition_code="2026-advanced").ok
    blueprint = ExamBlueprint.objects.create(name="抽题检查", bank=QuestionBank.objects.get(name="草稿题库"))
    draw = reverse("exams_draw_preview", args=[blueprint.pk])
    listing = reverse("wagtailsnippets_exams_examblueprint:list")
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    assert draw in client.get(listing).content.decode()
    officer = UserFactory(roles=[Role.CUSTOMS_OFFICER])
    client.force_login(officer)
    page = client.get(listing)
    assert page.status_code == 200 and "抽题检查" in page.content.decode()
    assert draw not in page.content.decode()


def test_a_broken_xml_file_is_reported_in_the_page_language_with_where_it_breaks(trainer):
    upload = SimpleUploadedFile("bank.xml", b'<?xml version="1.0"?>\n<quiz>\n<question type="truefalse">', "text/xml")
    data = {"bank": "坏文件", "file": upload, "format": "xml", "audience": "enterprise", "edition": "2026-advanced"}
    found = " ".join(errors(trainer.post(IMPORT, data)))
    assert "第 3 行" in found and "no element found" not in found


def test_true_false_options_read_true_and_false_in_the_question_preview(trainer):
    text = "::判断题::企业应当建立内部审计制度。 {T}\n"
    assert services.bank_import(bank_name="判断题库", data=text.encode(), edition_code="2026-advanced").ok
    question = Question.objects.get(bank__name="判断题库")
    page = trainer.get(reverse("exams_preview_question", args=[question.pk])).content.decode()
    assert 'value="0"> 对' in page  # the first option reads "True" in Chinese
    assert "> true" not in page and ">true<" not in page
