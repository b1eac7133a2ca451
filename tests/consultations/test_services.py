"""Use cases of consultations: routing, thread steps, refusals, notices and the audit log."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.models import ModelLogEntry

from consultations import services
from consultations.models import Consultation, ConsultationFollower, DistrictConsultationSetting, FaqPage
from notices.models import Notice
from tests.trainees.factories import unit

from .helpers import ask, cast, coordinator, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return cast()


def actions(consultation):
    return list(
        ModelLogEntry.objects.filter(object_id=str(consultation.pk), action__startswith="consultations.")
        .order_by("timestamp", "id")
        .values_list("action", flat=True)
    )


def told(user, consultation=None):
    notices = Notice.objects.filter(recipient=user, target_type__model="consultationfollower")
    if consultation is not None:
        notices = notices.filter(
            target_id__in=ConsultationFollower.objects.filter(consultation=consultation).values("pk")
        )
    return notices.count()


def test_a_question_goes_to_the_district_coordinators_with_the_district_answer_time(
    people, django_capture_on_commit_callbacks
):
    DistrictConsultationSetting.objects.create(customs_unit=unit("5300"), answer_target_hours=24)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        consultation = ask(people, now=now, upload=pdf())
    assert consultation.status == Consultation.Status.OPEN
    assert consultation.target_hours == 24  # Futian has none: its regional customs' setting
    assert consultation.due_at == consultation.first_due_at == now + dt.timedelta(hours=24)
    # Futian has no coordinator: the nearest unit above that has some (Shenzhen) is told.
    assert told(people.coordinator) == told(people.second_coordinator) == 1
    assert told(people.other_coordinator) == told(people.gacc_coordinator) == told(people.staff) == 0
    assert {m.to[0] for m in mail.outbox} == {people.coordinator.email, people.second_coordinator.email}
    assert consultation.subject in mail.outbox[0].subject or consultation.subject in mail.outbox[0].body
    assert not mail.outbox[0].attachments  # no calendar file for a consultation
    message = consultation.messages.get()
    assert message.attachment_name == "说明.pdf" and message.attachment_type == "application/pdf"
    assert actions(consultation) == ["consultations.ask"]


def test_a_local_coordinator_is_preferred_to_the_regional_ones(people):
    local = coordinator("5301")
    ask(people)
    assert told(local) == 1 and told(people.coordinator) == 0


def test_reply_follow_up_close_and_rate(people, django_capture_on_commit_callbacks):
    consultation = ask(people)
    with pytest.raises(ValidationError, match="答复后"):
        services.consultation_rate(consultation_id=consultation.pk, user=people.staff, rating=5)
    later = consultation.asked_at + dt.timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        consultation = services.consultation_reply(
            consultation_id=consultation.pk, user=people.coordinator, body="请准备内部控制制度文件。", now=later
        )
    assert consultation.status == Consultation.Status.ANSWERED
    assert consultation.first_answered_at == later and consultation.due_at is None
    assert consultation.assignee == people.coordinator
    assert told(people.staff) == 1
    assert mail.outbox[-1].to == [people.staff.email]

    consultation = services.consultation_follow_up(
        consultation_id=consultation.pk,
        user=people.colleague,
        body="财务报表需要审计吗？",
        now=later + dt.timedelta(hours=1),
    )
    assert consultation.status == Consultation.Status.OPEN
    assert consultation.due_at == later + dt.timedelta(hours=1 + consultation.target_hours)
    assert told(people.coordinator) == 2 and told(people.second_coordinator) == 1  # the assignee only now

    services.consultation_reply(consultation_id=consultation.pk, user=people.second_coordinator, body="需要。")
    consultation = services.consultation_close(
        consultation_id=consultation.pk, user=people.coordinator, note="已解答。"
    )
    assert consultation.status == Consultation.Status.CLOSED and consultation.closed_at is not None
    consultation.refresh_from_db()
    assert consultation.first_answered_at == later  # the first answer counts for the figures

    with pytest.raises(ValidationError, match="已关闭"):
        services.consultation_reply(consultation_id=consultation.pk, user=people.coordinator, body="补充")
    with pytest.raises(ValidationError, match="已关闭"):
        services.consultation_follow_up(consultation_id=consultation.pk, user=people.staff, body="还有问题")

    with pytest.raises(ValidationError):
        services.consultation_rate(consultation_id=consultation.pk, user=people.staff, rating=6)
    consultation = services.consultation_rate(
        consultation_id=consultation.pk, user=people.staff, rating=4, comment="清楚"
    )
    assert consultation.rating == 4
    with pytest.raises(ValidationError, match="已经评价"):
        services.consultation_rate(consultation_id=consultation.pk, user=people.staff, rating=5)
    assert actions(consultation) == [
        "consultations.ask",
        "consultations.reply",
        "consultations.follow_up",
        "consultations.reply",
        "consultations.close",
        "consultations.rate",
    ]
    entry = ModelLogEntry.objects.get(object_id=str(consultation.pk), action="consultations.rate")
    assert entry.user == people.staff and entry.data == {"rating": 4}


def test_only_the_district_coordinators_and_the_enterprise_take_steps(people):
    consultation = ask(people)
    for outsider in (people.other_coordinator, people.officer, people.staff):
        with pytest.raises(PermissionDenied):
            services.consultation_reply(consultation_id=consultation.pk, user=outsider, body="答复")
    for outsider in (people.other_staff, people.coordinator):
        with pytest.raises(PermissionDenied):
            services.consultation_follow_up(consultation_id=consultation.pk, user=outsider, body="追问")
    with pytest.raises(PermissionDenied):
        services.consultation_close(consultation_id=consultation.pk, user=people.other_coordinator)


def test_hand_over_to_a_coordinator_then_to_gacc(people, django_capture_on_commit_callbacks):
    consultation = ask(people)
    with pytest.raises(ValidationError):  # not a coordinator of this district
        services.consultation_hand_over(
            consultation_id=consultation.pk, user=people.coordinator, to_user_id=people.other_coordinator.pk
        )
    with django_capture_on_commit_callbacks(execute=True):
        consultation = services.consultation_hand_over(
            consultation_id=consultation.pk,
            user=people.coordinator,
            to_user_id=people.second_coordinator.pk,
            note="请你跟进。",
        )
    assert consultation.assignee == people.second_coordinator
    assert told(people.second_coordinator) == 2 and told(people.staff) == 1
    consultation = services.consultation_hand_over(
        consultation_id=consultation.pk, user=people.second_coordinator, to_user_id=None, to_gacc=True
    )
    assert consultation.at_gacc and consultation.assignee is None
    assert told(people.gacc_coordinator) == 1
    with pytest.raises(PermissionDenied):  # the district reads it now, GACC answers
        services.consultation_reply(consultation_id=consultation.pk, user=people.coordinator, body="答复")
    with pytest.raises(ValidationError):
        services.consultation_hand_over(
            consultation_id=consultation.pk, user=people.gacc_coordinator, to_user_id=None, to_gacc=True
        )
    services.consultation_reply(consultation_id=consultation.pk, user=people.gacc_coordinator, body="总署答复。")
    assert actions(consultation)[1:] == [
        "consultations.hand_over",
        "consultations.hand_over_gacc",
        "consultations.reply",
    ]
    assert ConsultationFollower.objects.filter(consultation=consultation, user=people.gacc_coordinator).exists()


def test_ask_refuses_bad_input(people):
    with pytest.raises(PermissionDenied):  # another district
        services.consultation_ask(user=people.staff, district=unit("2301"), topic="other", subject="问", body="问题")
    with pytest.raises(PermissionDenied):  # not enterprise staff
        services.consultation_ask(
            user=people.coordinator, district=unit("5301"), topic="other", subject="问", body="问"
        )
    with pytest.raises(ValidationError, match="标准领域"):
        ask(people, topic=Consultation.Topic.CRITERIA_AREA)
    with pytest.raises(ValidationError):
        ask(people, body="   ")
    disguised = SimpleUploadedFile("制度.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    with pytest.raises(ValidationError, match="PDF"):
        ask(people, upload=disguised)
    assert not Consultation.objects.exists()


def test_overdue_questions_are_flagged_once_per_wait(people, django_capture_on_commit_callbacks):
    asked = timezone.now() - dt.timedelta(hours=50)
    consultation = ask(people, now=asked)
    answered = ask(people, now=asked)
    services.consultation_reply(consultation_id=answered.pk, user=people.coordinator, body="已答复")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.overdue_flag() == 1
    assert services.overdue_flag() == 0
    assert told(people.coordinator, consultation) == 2  # asked, then overdue
    assert "consultations.overdue" in actions(consultation)
    services.consultation_reply(consultation_id=consultation.pk, user=people.coordinator, body="迟到的答复")
    services.consultation_follow_up(
        consultation_id=consultation.pk, user=people.staff, body="追问", now=timezone.now() - dt.timedelta(hours=49)
    )
    assert services.overdue_flag() == 1  # a new due time passed


def test_publish_masks_then_refuses_personal_data(people, django_capture_on_commit_callbacks):
    from readiness.models import CriteriaArea

    area = CriteriaArea.objects.get(edition__code="2026-advanced", key="internal_control")
    consultation = ask(people, topic=Consultation.Topic.CRITERIA_AREA, criteria_area=area)
    with pytest.raises(ValidationError):
        services.consultation_publish(
            consultation_id=consultation.pk, user=people.coordinator, title="t", question="q", answer="a"
        )
    services.consultation_reply(
        consultation_id=consultation.pk,
        user=people.coordinator,
        body="张测试先生您好：请准备内部控制制度，可致电0755-83000000。",
    )
    draft = services.publish_draft(consultation=Consultation.objects.get(pk=consultation.pk))
    assert "海川" not in draft["question"] and "13800138000" not in draft["question"]
    assert "91440300MA5F000000" not in draft["question"] and "某企业" in draft["question"]
    assert "83000000" not in draft["answer"]
    assert draft["criteria_areas"] == [area.pk]
    with pytest.raises(ValidationError, match="个人信息"):
        services.consultation_publish(
            consultation_id=consultation.pk,
            user=people.coordinator,
            title=draft["title"],
            question=draft["question"] + " 深圳海川电子科技",
            answer=draft["answer"],
        )
    with pytest.raises(PermissionDenied):
        services.consultation_publish(
            consultation_id=consultation.pk,
            user=people.other_coordinator,
            **{k: draft[k] for k in ("title", "question", "answer")},
        )
    page = services.consultation_publish(
        consultation_id=consultation.pk,
        user=people.coordinator,
        title="申请高级认证需要准备哪些内部控制材料？",
        question=draft["question"],
        answer=draft["answer"],
        criteria_areas=[area],
    )
    assert page.live and page.get_parent().specific_class.__name__ == "FaqIndexPage"
    assert list(page.criteria_areas.all()) == [area]
    consultation.refresh_from_db()
    assert consultation.faq_page_id == page.pk
    with pytest.raises(ValidationError, match="已经发布"):
        services.consultation_publish(
            consultation_id=consultation.pk, user=people.coordinator, title="x", question="y", answer="z"
        )
    # Chinese full-text search (cms.search, jieba) finds it by a word inside the title.
    from cms.search import search_pages

    assert page.pk in [p.pk for p in search_pages(FaqPage.objects.live(), "内部控制")]
    assert "consultations.publish" in actions(consultation)
