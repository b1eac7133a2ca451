"""Exam tickets (issue 14 point 2): the printable PDF card (Chinese text, QR code), the e-mail
with the card and the calendar invitation through the notices app, the cancellation on
revocation, reminders before the sitting, and papers drawn in advance with the tickets."""

import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.urls import reverse
from wagtail.models import ModelLogEntry

from exams.models import Attempt, DrawBatch, DrawnPaper, QuestionVersion
from exams.services import attempts as svc
from exams.services import sittings
from notices.tasks import send_reminders
from tests.exams.factories import make_exam
from tests.exams.test_sittings import computer_room, staff
from tests.factories import EnterpriseFactory, UserFactory
from trainees.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def sitting():
    exam = make_exam(online=False)
    now = svc.db_now()
    return sittings.sitting_create(
        exam=exam, room=computer_room(), starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(minutes=60)
    )


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "ticket.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_issuing_e_mails_the_card_and_the_invitation(sitting, tmp_path, django_capture_on_commit_callbacks):
    user = staff(enterprise=EnterpriseFactory(), first_name="小明", last_name="王")
    with django_capture_on_commit_callbacks(execute=True):
        ticket = sittings.ticket_issue(sitting=sitting, user=user, seat_number=7)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [user.email]
    assert ticket.code in email.body
    names = {name: (content, mimetype) for name, content, mimetype in email.attachments}
    assert any(m.startswith("text/calendar") for _c, m in names.values())
    pdf, mimetype = names[f"exam-ticket-{ticket.code}.pdf"]
    assert mimetype == "application/pdf" and pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert "准考证" in text and ticket.code in text and "王小明" in text.replace(" ", "")
    assert "机房一" in text and "7" in text


def test_revoking_cancels_and_reissuing_sends_a_new_code_with_the_same_paper(
    sitting, django_capture_on_commit_callbacks
):
    user = staff(enterprise=EnterpriseFactory())
    officer = UserFactory(roles=[Role.CUSTOMS_OFFICER])
    ticket = sittings.ticket_issue(sitting=sitting, user=user, seat_number=2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new = sittings.ticket_revoke(ticket=ticket, actor=officer, reason="遗失")
    ticket.refresh_from_db()
    assert ticket.revoked_at and ticket.ics_sequence == 1
    assert new.code != ticket.code and new.paper_id == ticket.paper_id and new.seat_number == 2
    cancellation, confirmation = mail.outbox
    assert not any(name.endswith(".pdf") for name, _c, _m in cancellation.attachments)
    assert any("METHOD:CANCEL" in content for _n, content, _m in cancellation.attachments if _n.endswith(".ics"))
    assert any(name == f"exam-ticket-{new.code}.pdf" for name, _c, _m in confirmation.attachments)


def test_reminder_before_the_sitting(django_capture_on_commit_callbacks):
    exam = make_exam(online=False)
    now = svc.db_now()
    later = sittings.sitting_create(
        exam=exam, room=computer_room(), starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=2)
    )
    user = staff(enterprise=EnterpriseFactory())
    sittings.ticket_issue(sitting=later, user=user, seat_number=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == 1
        assert send_reminders() == 0  # once per start
    assert len(mail.outbox) == 1 and exam.title_zh in mail.outbox[0].body


def test_papers_are_drawn_with_the_tickets_and_used_at_start(sitting):
    users = [staff(enterprise=EnterpriseFactory()) for _ in range(3)]
    before = DrawBatch.objects.count()
    tickets = sittings.tickets_issue(sitting=sitting, seats=[(u, i + 1) for i, u in enumerate(users)])
    assert DrawBatch.objects.count() == before + 1  # one draw for the whole room
    assert len({t.paper_id for t in tickets}) == 3
    ticket = tickets[0]
    sittings.checkin(sitting=sitting, user=users[0], code=ticket.code, address="10.0.0.1")
    attempt = svc.attempt_start(exam=sitting.exam, user=users[0])
    assert attempt.paper_id == ticket.paper_id
    assert DrawBatch.objects.count() == before + 1  # no draw (no blueprint lock) at the start
    assert Attempt.objects.filter(paper_id=ticket.paper_id).count() == 1


def test_a_room_start_copies_the_drawn_paper_in_a_few_statements(sitting, django_assert_max_num_queries):
    user, invigilator = staff(enterprise=EnterpriseFactory()), UserFactory(roles=[Role.INVIGILATOR])
    ticket = sittings.ticket_issue(sitting=sitting, user=user, seat_number=1)
    sittings.checkin(sitting=sitting, user=user, code=ticket.code, address="10.0.0.1")
    ContentType.objects.get_for_model(Attempt)  # cached by every running process
    # One read, then the attempt and its audit entry in one statement (in a savepoint here,
    # inside the test's transaction).
    with django_assert_max_num_queries(4 if connection.vendor == "postgresql" else 10):
        attempt = svc.attempt_start(exam=sitting.exam, user=user)
    paper = DrawnPaper.objects.get(pk=ticket.paper_id)
    versions = QuestionVersion.objects.in_bulk([item["version_id"] for item in paper.items])
    assert attempt.items == [{**item, "content": versions[item["version_id"]].content} for item in paper.items]
    assert attempt.max_score == sum(Decimal(item["points"]) for item in paper.items) == 10
    assert attempt.sitting_id == sitting.pk and attempt.number == 1
    assert attempt.ends_at == sitting.session.ends_at == attempt.deadline  # 60 minutes, the sitting ends first
    entry = ModelLogEntry.objects.get(action="exams.attempt_start", object_id=str(attempt.pk))
    assert (entry.user_id, entry.data, entry.label) == (user.pk, {"exam": sitting.exam_id, "number": 1}, str(attempt))
    # A reload resumes it; after a void the ticket's paper is used, so a new one is drawn.
    assert svc.attempt_start(exam=sitting.exam, user=user).pk == attempt.pk
    svc.attempt_void(attempt=attempt, user=invigilator, reason="换机")
    again = svc.attempt_start(exam=sitting.exam, user=user)
    assert again.number == 2 and again.paper_id != ticket.paper_id and len(again.items) == 5


def test_card_download_is_the_holders_and_the_district_officers(client, sitting):
    user = staff(enterprise=EnterpriseFactory())
    other = staff(enterprise=EnterpriseFactory())
    ticket = sittings.ticket_issue(sitting=sitting, user=user, seat_number=3)
    url = reverse("exams:ticket_pdf", args=[ticket.pk])
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    sittings.ticket_revoke(ticket=ticket, actor=None, reason="重发", reissue=False)
    assert client.get(url).status_code == 404  # a revoked card is gone for its holder


def test_officer_revokes_and_reissues_on_the_tickets_page(client, sitting):
    user = staff(enterprise=EnterpriseFactory())
    ticket = sittings.ticket_issue(sitting=sitting, user=user, seat_number=4)
    client.force_login(UserFactory(is_superuser=True))
    url = reverse("exams:sitting_tickets", args=[sitting.pk])
    page = client.get(url)
    assert page.status_code == 200 and ticket.code in page.content.decode()
    assert client.post(url, {"ticket": ticket.pk, "reason": "", "reissue": "1"}).status_code == 200  # no reason
    ticket.refresh_from_db()
    assert ticket.revoked_at is None
    assert client.post(url, {"ticket": ticket.pk, "reason": "遗失", "reissue": "1"}).status_code == 302
    assert sitting.tickets.filter(revoked_at=None).exclude(pk=ticket.pk).count() == 1
