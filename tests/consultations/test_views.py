"""The consultation pages: who reaches what, and bad input answered with a message, never a 500."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import Consultation, FaqPage
from tests.trainees.factories import unit

from .helpers import ask, cast, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return cast()


def url(name, consultation=None):
    return reverse(f"consultations:{name}", args=[consultation.pk] if consultation else [])


def test_enterprise_asks_through_the_form(client, people):
    client.force_login(people.staff)
    page = client.get(url("ask"))
    assert page.status_code == 200
    assert [c[0].value for c in page.context["form"].fields["district"].choices] == [unit("5301").pk, unit("5300").pk]
    response = client.post(
        url("ask"),
        {
            "district": unit("5301").pk,
            "topic": "procedure",
            "subject": "认证流程",
            "body": "需要多久？",
            "attachment": pdf(),
        },
    )
    consultation = Consultation.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", consultation)
    assert client.get(url("detail", consultation)).status_code == 200


def test_a_question_to_another_district_is_not_found(client, people):
    client.force_login(people.staff)
    for district in (unit("2301").pk, unit("0000").pk, 999999, "x"):
        response = client.post(url("ask"), {"district": district, "topic": "other", "subject": "问", "body": "问"})
        assert response.status_code == 404, district
    assert not Consultation.objects.exists()


def test_bad_question_input_re_renders_with_messages(client, people):
    client.force_login(people.staff)
    base = {"district": unit("5301").pk, "subject": "标准", "body": "问题"}
    response = client.post(url("ask"), base | {"topic": "criteria_area"})
    assert response.status_code == 400 and "请选择问题涉及的标准领域" in response.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    html = SimpleUploadedFile("制度.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    response = client.post(url("ask"), base | {"topic": "other", "attachment": html})
    assert response.status_code == 400 and "PDF" in response.content.decode()
    response = client.post(url("ask"), base | {"topic": "nonsense"})
    assert response.status_code == 400
    assert not Consultation.objects.exists()


def test_another_enterprise_and_other_districts_find_nothing(client, people):
    consultation = ask(people, upload=pdf())
    message = consultation.messages.get()
    for outsider in (people.other_staff, people.other_coordinator, people.officer):
        client.force_login(outsider)
        assert client.get(url("detail", consultation)).status_code == 404
        assert client.get(reverse("consultations:attachment", args=[consultation.pk, message.pk])).status_code == 404
        assert client.post(url("message", consultation), {"body": "看看"}).status_code == 404
    client.force_login(people.colleague)  # same enterprise
    download = client.get(reverse("consultations:attachment", args=[consultation.pk, message.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert download["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_reply_by_someone_who_is_not_a_coordinator_of_the_district_is_refused(client, people):
    consultation = ask(people)
    client.force_login(people.other_coordinator)
    assert client.post(url("message", consultation), {"body": "答复"}).status_code == 404
    client.force_login(people.officer)  # an officer of the district who is no coordinator
    assert client.post(url("message", consultation), {"body": "答复"}).status_code == 404
    client.force_login(people.coordinator)
    client.post(url("hand_over", consultation), {"hand_over-to": "gacc", "hand_over-note": "请总署答复"})
    # Once with GACC, the district's coordinator still reads but may not reply.
    assert client.get(url("detail", consultation)).status_code == 200
    assert client.post(url("message", consultation), {"body": "答复"}).status_code == 403
    assert client.post(url("close", consultation)).status_code == 403
    consultation.refresh_from_db()
    assert consultation.messages.filter(kind="reply").count() == 0


def test_closed_thread_and_early_rating_are_refused_with_a_message(client, people):
    consultation = ask(people)
    client.force_login(people.staff)
    response = client.post(url("rate", consultation), {"rating": 5})
    assert response.status_code == 400 and "海关答复后才能评价" in response.content.decode()
    assert client.post(url("close", consultation)).status_code == 403  # coordinators close
    client.force_login(people.coordinator)
    assert client.post(url("message", consultation), {"body": "请准备材料。"}).status_code == 302
    assert client.post(url("close", consultation), {"close-note": "已解答"}).status_code == 302
    response = client.post(url("message", consultation), {"body": "补充"})
    assert response.status_code == 400 and "此咨询已关闭" in response.content.decode()
    client.force_login(people.staff)
    response = client.post(url("message", consultation), {"body": "追问"})
    assert response.status_code == 400 and "此咨询已关闭" in response.content.decode()
    for bad in ({"rating": 9}, {"rating": "x"}, {}):
        assert client.post(url("rate", consultation), bad).status_code == 400
    assert client.post(url("rate", consultation), {"rating": 4}).status_code == 302
    consultation.refresh_from_db()
    assert consultation.rating == 4
    response = client.post(url("rate", consultation), {"rating": 5})
    assert response.status_code == 400 and "已经评价" in response.content.decode()
    client.force_login(people.coordinator)
    assert client.post(url("rate", consultation), {"rating": 1}).status_code == 403


def test_desk_flags_questions_past_their_answer_time(client, people, django_assert_max_num_queries):
    late = ask(people, now=timezone.now() - dt.timedelta(hours=60), subject="超时的问题")
    ask(people, subject="新问题")
    client.force_login(people.coordinator)
    response = client.get(url("desk"), {"overdue": "on"})
    assert [c.pk for c in response.context["page"]] == [late.pk]
    assert response.context["overdue_count"] == 1
    assert 'data-overdue="yes"' in response.content.decode()
    for n in range(30):
        ask(people, subject=f"问题{n}")
    with django_assert_max_num_queries(25):
        assert client.get(url("desk")).status_code == 200
    client.force_login(people.staff)
    with django_assert_max_num_queries(25):
        assert client.get(url("list")).status_code == 200
    client.force_login(people.officer)
    assert client.get(url("desk")).status_code == 403


def test_thread_query_count_does_not_grow_with_messages(client, people, django_assert_max_num_queries):
    consultation = ask(people)
    for n in range(20):
        services.consultation_reply(consultation_id=consultation.pk, user=people.coordinator, body=f"答复{n}")
    client.force_login(people.coordinator)
    with django_assert_max_num_queries(30):
        assert client.get(url("detail", consultation)).status_code == 200


def test_coordinator_publishes_and_the_faq_shows_on_the_criteria_page(client, people):
    from readiness import services as readiness_services
    from readiness.models import CriteriaArea, CriteriaEdition

    area = CriteriaArea.objects.get(edition__code="2026-advanced", key="internal_control")
    consultation = ask(people, topic="criteria_area", criteria_area=area)
    client.force_login(people.coordinator)
    assert client.get(url("publish", consultation)).status_code == 302  # nothing answered yet
    services.consultation_reply(consultation_id=consultation.pk, user=people.coordinator, body="请建立关企联系制度。")
    form = client.get(url("publish", consultation))
    assert form.status_code == 200
    initial = form.context["form"].initial
    assert "海川" not in initial["question"] and "13800138000" not in initial["question"]
    data = {
        "title": initial["title"],
        "question": initial["question"],
        "answer": initial["answer"],
        "criteria_areas": [area.pk],
    }
    refused = client.post(url("publish", consultation), data | {"answer": "请联系 13800138000"})
    assert refused.status_code == 400 and "电话号码" in refused.content.decode()
    response = client.post(url("publish", consultation), data)
    assert response.status_code == 302
    faq = client.get(response["Location"])
    assert faq.status_code == 200 and "请建立关企联系制度" in faq.content.decode()
    index = client.get("/faq/", {"q": "联系制度"})
    assert index.status_code == 200 and initial["title"] in index.content.decode()
    assert initial["title"] not in client.get("/faq/", {"q": "财务状况"}).content.decode()

    # The enterprise's self-assessment shows the entry under its criteria area.
    client.force_login(people.staff)
    edition = CriteriaEdition.objects.get(code="2026-advanced")
    assessment = readiness_services.assessment_start(enterprise=people.enterprise, edition=edition, user=people.staff)
    page = client.get(reverse("readiness:assessment_detail", args=[assessment.pk])).content.decode()
    assert "相关常见问题" in page and initial["title"] in page


def test_publishing_refuses_personal_data_in_full_width_digits(client, people):
    """The reported case: a mobile number in full-width digits reached the public FAQ."""
    consultation = ask(people)
    services.consultation_reply(consultation_id=consultation.pk, user=people.coordinator, body="请准备内部控制制度。")
    client.force_login(people.coordinator)
    data = {
        "title": "认证申请需要准备哪些材料？",
        "question": "申请高级认证要准备什么？",
        "answer": "请准备内部控制制度。",
    }
    for answer in (
        "请致电 １３８００１３８０００",
        "请致电 138 0013 8000",
        "请写信 ｚｈａｎｇ＠ｈａｉｃｈｕａｎ．ｃｎ",
    ):
        refused = client.post(url("publish", consultation), data | {"answer": answer})
        assert refused.status_code == 400
        assert refused.context["form"].errors["answer"]  # the message stands beside the field
        assert "个人信息" in refused.content.decode()
    assert not FaqPage.objects.exists()
    assert client.post(url("publish", consultation), data).status_code == 302
    assert FaqPage.objects.filter(locale__language_code="zh-hans").count() == 1


def test_faq_entries_edited_in_the_back_office_pass_the_same_check(people):
    """Whoever edits an entry (the page editor of the back office) meets the same check."""
    from django.core.exceptions import ValidationError

    consultation = ask(people)
    services.consultation_reply(consultation_id=consultation.pk, user=people.coordinator, body="请准备内部控制制度。")
    page = services.consultation_publish(
        consultation_id=consultation.pk,
        user=people.coordinator,
        title="认证申请需要准备哪些材料？",
        question="申请高级认证要准备什么？",
        answer="请准备内部控制制度。",
    )
    page.answer = "详情请致电 １３８００１３８０００。"
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert set(refused.value.message_dict) == {"answer"}
    page.answer, page.question = "请准备内部控制制度。", "深圳海川电子科技想问：要准备什么？"
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert set(refused.value.message_dict) == {"question"}  # names of the consultation it came from


def test_criteria_areas_are_offered_by_their_names_not_edition_codes(client, people):
    client.force_login(people.staff)
    content = client.get(url("ask")).content.decode()
    assert "2026-advanced" not in content
    assert "海关高级认证企业标准（2026） · 内部控制" in content
    english = client.get("/en" + url("ask")).content.decode()
    assert "Advanced certified enterprise criteria (2026) · Internal control" in english
