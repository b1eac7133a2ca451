"""Pages read their own app's Chinese word where several apps share an English one (a person's
name or the name of a thing, a rectification or an exam attempt in progress, an audit opinion, a
date range or a status change, a consultation's question or an exam question)."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from exams.services import attempts as exam_attempts
from exams.services import sittings
from readiness.models import RectificationTask
from surveys import services as survey_services
from tests.consultations.helpers import ask, cast
from tests.exams.factories import invigilator, make_exam
from tests.factories import UserFactory
from tests.readiness.test_self_assessment import admin_of
from tests.surveys.factories import answers, open_survey_for
from tests.trainees.factories import enterprise_in, officer, staff_of
from tests.training_bases.factories import RoomFactory, SessionFactory, base
from trainees.roles import Role
from training_bases.models import Room, TrainingBase

pytestmark = pytest.mark.django_db


def body(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def option(value: str, label: str, selected: bool = False) -> str:
    return f'<option value="{value}"{" selected" if selected else ""}>{label}</option>'


def test_readiness_report_reads_a_rectification_in_progress_as_such(client):
    enterprise = enterprise_in("5301")
    owner = staff_of(enterprise)
    RectificationTask.objects.create(
        enterprise=enterprise,
        title="完善单证复核制度",
        owner=owner,
        due_date=timezone.localdate() + dt.timedelta(days=30),
        status=RectificationTask.Status.IN_PROGRESS,
    )
    client.force_login(owner)
    page = body(client.get(reverse("readiness:report", kwargs={"enterprise_id": enterprise.pk})))
    assert option("in_progress", "整改中", selected=True) in page
    assert "学习中" not in page and "作答中" not in page
    assert "<th>负责人</th>" in page


def test_readiness_dashboard_reads_readiness_statuses_and_sorts_by_a_name_of_a_thing(client):
    enterprise_in("5301")
    client.force_login(officer("5300"))
    page = body(client.get(reverse("readiness:dashboard")))
    assert option("ready", "已就绪") in page and option("not_ready", "未就绪") in page
    assert option("name", "企业名称") in page
    assert "已准备就绪" not in page and "姓名" not in page
    assert "<th>关区</th>" in page


def test_financial_figures_offer_the_auditors_opinions(client):
    client.force_login(admin_of())
    page = body(client.get(reverse("readiness:financials")))
    for value, label in [
        ("unqualified", "无保留意见"),
        ("qualified", "保留意见"),
        ("adverse", "否定意见"),
        ("disclaimer", "无法表示意见"),
    ]:
        assert option(value, label) in page
    assert "已取得资格" not in page


def test_appraisal_reads_readiness_and_answered_consultations_in_their_words(client):
    client.force_login(officer("0000"))
    page = body(client.get(reverse("feedback:appraisal")))
    assert '<li data-status="ready">已就绪：' in page and '<li data-status="not_ready">未就绪：' in page
    assert "<dt>已答复</dt>" in page
    assert "开始日期" in page and "原状态" not in page


@pytest.fixture
def people():
    return cast()


def test_a_consultation_question_is_a_question_not_an_exam_question(client, people):
    consultation = ask(people)
    client.force_login(people.staff)
    page = body(client.get(reverse("consultations:detail", args=[consultation.pk])))
    assert re.search(r'data-kind="question">\s*<p class="muted"><strong>企业</strong> · 问题 ·', page)
    assert "试题" not in page


def test_the_desk_filters_answered_and_flags_overdue_in_one_word_each(client, people):
    ask(people, now=timezone.now() - dt.timedelta(hours=60))
    client.force_login(people.coordinator)
    page = body(client.get(reverse("consultations:desk")))
    assert option("answered", "已答复") in page
    assert '<span class="badge badge--danger">已逾期</span>' in page
    assert "已超时" not in page


@pytest.fixture
def survey_world():
    trainer = UserFactory(roles=[Role.TRAINER])
    session = SessionFactory(room=RoomFactory(base=base("shenzhen")))
    people = [staff_of(enterprise_in("5301")) for _ in range(2)]
    survey = open_survey_for(session, people)
    survey.trainers.set([trainer])
    return survey, people


def test_survey_pages_read_a_date_range_and_names_of_things(client, survey_world):
    survey, people = survey_world
    survey_services.response_submit(survey_id=survey.pk, user=people[0], posted=answers(survey))
    client.force_login(people[0])
    mine = body(client.get(reverse("surveys:my_surveys")))
    assert '<span class="badge badge--success">已作答</span>' in mine
    client.force_login(officer("0000"))
    page = body(client.get(reverse("surveys:results")))
    assert "开始日期" in page and "截止日期" in page and "原状态" not in page
    export = client.get(reverse("surveys:results_xlsx"))
    rows = load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
    header = next(row for row in rows if "平均分（1–5）" in row)
    assert "名称" in header and "姓名" not in header


def test_exam_console_reads_the_states_of_an_exam_attempt(client):
    base_ = TrainingBase.objects.get(slug="shenzhen")
    room = Room.objects.create(base=base_, name_zh="机房一", kind=Room.Kind.COMPUTER_ROOM, capacity=30)
    now = exam_attempts.db_now()
    sitting = sittings.sitting_create(
        exam=make_exam(online=False),
        room=room,
        starts_at=now - dt.timedelta(minutes=5),
        ends_at=now + dt.timedelta(minutes=40),
    )
    client.force_login(invigilator())  # of Shenzhen, where the sitting is
    page = body(client.get(reverse("exams:console", args=[sitting.pk])))
    assert '"in_progress": "作答中"' in page and '"submitted": "已交卷"' in page and '"overdue": "已超时"' in page
    assert "<th>姓名</th>" in page and "<th>已作答</th>" in page


def test_question_import_preview_names_questions_not_people(client):
    demo = Path(__file__).resolve().parents[1] / "exams" / "data" / "demo-enterprise-2026.gift"
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    with demo.open("rb") as handle:
        page = body(
            client.post(
                "/admin/exams/import/",
                {
                    "bank": "后台题库",
                    "file": handle,
                    "format": "",
                    "audience": "enterprise",
                    "edition": "2026-certified",
                },
            )
        )
    assert "<th>名称</th><th>题型</th>" in page and "姓名" not in page
