"""The exams back office (issue 14 points 1-3) in the Wagtail admin: exams created and edited
with every setting and clear refusals, per-candidate extra time, sittings placed in a computer
room through `sittings.sitting_create` (room overlap and bad networks answered on the form),
tickets issued in batches (seats in order, existing holders skipped, all or none with line
numbers, blocked enterprises, wrong audience, too few seats), the roster and the cards, and
each officer kept to the sittings of their district."""

import html
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from exams.models import BlueprintCell, Exam, ExamBlueprint, ExtraTime, QuestionBank, Sitting, Ticket
from exams.services import sittings
from tests.exams.factories import make_exam
from tests.factories import UserFactory
from tests.trainees.factories import enterprise_in, officer, staff_of, unit
from trainees.models import CultivationStatus
from trainees.roles import Role
from training_bases.models import Room, TrainingBase

pytestmark = pytest.mark.django_db

EXAMS = "/admin/snippets/exams/exam/"
SITTINGS = "/admin/snippets/exams/sitting/"


def local(value) -> str:
    """A datetime as Wagtail's admin date-time field takes it (Asia/Shanghai)."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def computer_room(slug="shenzhen", capacity=30, name="考试机房"):
    return Room.objects.create(
        base=TrainingBase.objects.get(slug=slug), name_zh=name, kind=Room.Kind.COMPUTER_ROOM, capacity=capacity
    )


def login(client, user):
    """Log `user` in with the back office in English (their Wagtail profile's language), so
    messages read as in the code; the Chinese pages are the browser test's."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)


@pytest.fixture
def shenzhen():
    return officer("5300", first_name="官", last_name="深")


@pytest.fixture
def exam():
    """An enterprise-staff exam in sittings, open from an hour ago for a week, 60 minutes."""
    return make_exam(online=False, closes_at=timezone.now() + timedelta(days=7))


@pytest.fixture
def room():
    return computer_room(capacity=5)


def place(exam, room, *, hours=2, length=2):
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=hours)
    return sittings.sitting_create(exam=exam, room=room, starts_at=start, ends_at=start + timedelta(hours=length))


def exam_post(blueprint, **overrides):
    now = timezone.now()
    data = {
        "title_zh": "AEO 认证培训结业考试（第二期）",
        "title_en": "AEO training final exam, second round",
        "audience": "enterprise",
        "blueprint": blueprint.pk,
        "duration_minutes": "90",
        "pass_mark": "60",
        "attempts_allowed": "2",
        "retake_wait_hours": "24",
        "opens_at": local(now + timedelta(days=1)),
        "closes_at": local(now + timedelta(days=30)),
        "online": "0",
        "review_options-sent": "1",
        "review_options-during": ["own_answers"],
        "review_options-after_submit": ["own_answers", "score"],
        "review_options-after_close": ["own_answers", "correctness", "key", "feedback", "score"],
    }
    data.update(overrides)
    return data


def errors_of(response) -> str:
    """The page re-rendered with its messages, as text (HTML entities decoded)."""
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


# ---------------------------------------------------------------- exams


def test_officer_creates_an_exam_with_every_setting(client, shenzhen, exam):
    login(client, shenzhen)
    response = client.post(EXAMS + "add/", exam_post(exam.blueprint))
    assert response.status_code == 302, errors_of(response)
    created = Exam.objects.get(title_zh="AEO 认证培训结业考试（第二期）")
    assert (created.duration_minutes, created.pass_mark, created.attempts_allowed, created.retake_wait_hours) == (
        90,
        Decimal("60"),
        2,
        24,
    )
    assert created.online is False and created.audience == "enterprise" and created.blueprint == exam.blueprint
    assert created.review_options == {
        "during": ["own_answers"],
        "after_submit": ["own_answers", "score"],
        "after_close": ["own_answers", "correctness", "key", "feedback", "score"],
    }
    assert timezone.localtime(created.opens_at).date() == timezone.localdate() + timedelta(days=1)
    listing = client.get(EXAMS, {"q": "第二期"}).content.decode()
    assert "第二期" in listing and reverse("exams:results", args=[created.pk]) in listing


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"closes_at": "2020-01-01 10:00"}, "closes_at", "must close after it opens"),
        ({"pass_mark": "120"}, "pass_mark", "percentage of the paper"),
        ({"pass_mark": "0"}, "pass_mark", "10 points"),  # the blueprint of make_exam: 5 questions × 2
        ({"duration_minutes": "0"}, "duration_minutes", "at least one minute"),
        ({"audience": "validator"}, "blueprint", "another audience"),
        ({"online": "1", "opens_at": "", "closes_at": ""}, "closes_at", "online exam"),
    ],
)
def test_exam_form_refuses_with_clear_messages(client, shenzhen, exam, overrides, field, message):
    login(client, shenzhen)
    response = client.post(EXAMS + "add/", exam_post(exam.blueprint, **overrides))
    html = errors_of(response)
    assert field in response.context["form"].errors, response.context["form"].errors
    assert message in html
    assert not Exam.objects.filter(title_zh="AEO 认证培训结业考试（第二期）").exists()


def test_a_blueprint_without_cells_is_refused(client, shenzhen, exam):
    empty = ExamBlueprint.objects.create(name="空蓝图", bank=exam.blueprint.bank)
    login(client, shenzhen)
    response = client.post(EXAMS + "add/", exam_post(empty))
    assert "no cells" in errors_of(response)
    assert "blueprint" in response.context["form"].errors


def test_audience_and_blueprint_stay_once_tickets_exist(client, shenzhen, exam, room):
    sitting = place(exam, room)
    sittings.ticket_issue(sitting=sitting, user=staff_of(enterprise_in("5301")), seat_number=1)
    other = ExamBlueprint.objects.create(name="另一蓝图", bank=exam.blueprint.bank)
    BlueprintCell.objects.create(
        blueprint=other, **exam.blueprint.cells.values("criteria_area_id", "band", "count").get()
    )
    login(client, shenzhen)
    data = exam_post(
        other,
        title_zh=exam.title_zh,
        opens_at=local(exam.opens_at),
        closes_at=local(exam.closes_at),
        duration_minutes="60",
    )
    response = client.post(f"{EXAMS}edit/{exam.pk}/", data)
    assert "can no longer change" in errors_of(response)
    # Moving the window so the sitting falls outside it is refused too, naming the sitting.
    data = exam_post(exam.blueprint, closes_at=local(sitting.session.starts_at), opens_at=local(exam.opens_at))
    assert "outside the exam's window" in errors_of(client.post(f"{EXAMS}edit/{exam.pk}/", data))
    exam.refresh_from_db()
    assert exam.blueprint_id != other.pk


def test_lead_trainers_manage_exams_plain_trainers_and_candidates_do_not(client, exam):
    login(client, UserFactory(roles=[Role.LEAD_TRAINER]))
    assert client.get(EXAMS).status_code == 200
    assert client.get(f"{EXAMS}edit/{exam.pk}/").status_code == 200
    login(client, UserFactory(roles=[Role.TRAINER]))
    assert client.get(EXAMS).status_code == 302  # back to the dashboard with a message
    assert client.post(EXAMS + "add/", exam_post(exam.blueprint)).status_code == 302
    login(client, staff_of(enterprise_in("5301")))
    assert client.get(EXAMS).status_code == 403
    assert Exam.objects.count() == 1


def test_exam_list_filters(client, shenzhen, exam):
    now = timezone.now()
    online = make_exam(title_zh="验证员线上考试", online=True)
    later = make_exam(
        title_zh="下月考试", online=False, opens_at=now + timedelta(days=30), closes_at=now + timedelta(days=31)
    )
    Exam.objects.filter(pk=online.pk).update(audience=QuestionBank.Audience.VALIDATOR)
    login(client, shenzhen)

    def titles(**query):
        html = client.get(EXAMS, query).content.decode()
        return {e.title_zh for e in (exam, online, later) if f"{EXAMS}edit/{e.pk}/" in html}

    assert titles() == {exam.title_zh, online.title_zh, later.title_zh}
    assert titles(audience="validator") == {online.title_zh}
    assert titles(online="online") == {online.title_zh}
    assert titles(online="sittings") == {exam.title_zh, later.title_zh}
    assert titles(window="upcoming") == {later.title_zh}
    assert titles(window="open") == {exam.title_zh, online.title_zh}
    assert titles(q="下月") == {later.title_zh}


def test_extra_time_is_set_changed_and_removed_from_the_exam(client, shenzhen, exam):
    person = staff_of(enterprise_in("5301"), phone="+8613800138000")
    login(client, shenzhen)
    url = reverse("wagtailsnippets_exams_exam:extra_time", args=[exam.pk])
    assert client.post(url, {"person": person.email.upper(), "minutes": "15"}).status_code == 302
    assert client.post(url, {"person": "138 0013 8000", "minutes": "20"}).status_code == 302
    assert ExtraTime.objects.get(exam=exam, user=person).minutes == 20
    assert ModelLogEntry.objects.filter(action="exams.extra_time").count() == 2
    assert "nobody" in errors_of(client.post(url, {"person": "nobody@example.com", "minutes": "5"})).lower()
    candidate = UserFactory(roles=[Role.VALIDATOR_CANDIDATE], customs_unit=unit("5300"))
    assert "not among the exam's candidates" in errors_of(client.post(url, {"person": candidate.email, "minutes": "5"}))
    assert client.post(url, {"person": person.email, "minutes": "0"}).status_code == 200  # refused: at least 1
    extra = ExtraTime.objects.get(exam=exam, user=person)
    assert client.post(url, {"remove": str(extra.pk)}).status_code == 302
    assert not ExtraTime.objects.filter(pk=extra.pk).exists()
    # Another district's officer does not reach this district's people.
    ExtraTime.objects.create(exam=exam, user=person, minutes=10)
    login(client, officer("2300"))
    assert person.email not in client.get(url).content.decode()
    assert "nobody" in client.post(url, {"person": person.email, "minutes": "5"}).content.decode().lower()


# ---------------------------------------------------------------- sittings


def sitting_post(exam, room, *, start=None, hours=2, networks=""):
    start = start or timezone.now().replace(second=0, microsecond=0) + timedelta(days=1)
    return {
        "exam": exam.pk,
        "room": room.pk,
        "starts_at": local(start),
        "ends_at": local(start + timedelta(hours=hours)),
        "allowed_networks": networks,
    }


def test_officer_places_a_sitting_through_the_service(client, shenzhen, exam, room):
    login(client, shenzhen)
    response = client.post(SITTINGS + "add/", sitting_post(exam, room, networks="10.8.3.0/24\n2001:db8::/48"))
    sitting = Sitting.objects.get(exam=exam)
    assert response.status_code == 302 and response["Location"] == reverse(
        "wagtailsnippets_exams_sitting:issue", args=[sitting.pk]
    )
    session = sitting.session
    assert (session.room, session.base.slug, session.capacity, session.training_type) == (room, "shenzhen", 5, "exam")
    assert sitting.allowed_networks == "10.8.3.0/24\n2001:db8::/48"
    assert timezone.localtime(session.starts_at).hour == timezone.localtime(timezone.now() + timedelta(days=1)).hour
    assert ModelLogEntry.objects.filter(action="exams.sitting_create", object_id=str(sitting.pk)).exists()


def test_room_overlap_is_shown_on_the_form(client, shenzhen, exam, room):
    first = place(exam, room, hours=24)
    login(client, shenzhen)
    response = client.post(
        SITTINGS + "add/", sitting_post(exam, room, start=first.session.starts_at + timedelta(minutes=30))
    )
    html = errors_of(response)
    assert "room" in response.context["form"].errors
    assert first.session.title in html
    assert Sitting.objects.count() == 1


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"networks": "10.8.3.0/33\nschool"}, "allowed_networks", "Not an address range: 10.8.3.0/33, school"),
        ({"hours": 0.5}, "ends_at", "shorter than the exam"),
        ({"start": timezone.now() - timedelta(days=2)}, "starts_at", "has passed"),
        ({"start": timezone.now() + timedelta(days=10)}, "starts_at", "inside the exam's window"),
    ],
)
def test_bad_sitting_input_is_answered_on_the_form(client, shenzhen, exam, room, change, field, message):
    login(client, shenzhen)
    response = client.post(SITTINGS + "add/", sitting_post(exam, room, **change))
    assert message in errors_of(response)
    assert field in response.context["form"].errors
    assert not Sitting.objects.exists()


def test_only_computer_rooms_of_the_district_are_offered(client, shenzhen, exam, room):
    classroom = Room.objects.create(base=room.base, name_zh="教室", kind=Room.Kind.CLASSROOM, capacity=50)
    suzhou = computer_room("suzhou", name="苏州机房")
    login(client, shenzhen)
    offered = set(client.get(SITTINGS + "add/").context["form"].fields["room"].queryset)
    assert offered == {room}
    for other in (classroom, suzhou):
        response = client.post(SITTINGS + "add/", sitting_post(exam, other))
        assert "room" in errors_of(response) and "room" in response.context["form"].errors
    assert not Sitting.objects.exists()


def test_networks_of_a_sitting_can_change_but_not_to_nonsense(client, shenzhen, exam, room):
    sitting = place(exam, room)
    login(client, shenzhen)
    url = f"{SITTINGS}edit/{sitting.pk}/"
    assert "allowed_networks" in client.post(url, {"allowed_networks": "10.0.0.300/8"}).context["form"].errors
    assert client.post(url, {"allowed_networks": "10.9.0.0/16"}).status_code == 302
    sitting.refresh_from_db()
    assert sitting.allowed_networks == "10.9.0.0/16"


def test_an_officer_of_another_district_neither_sees_nor_reaches_the_sitting(client, exam, room):
    sitting = place(exam, room)
    ticket = sittings.ticket_issue(sitting=sitting, user=staff_of(enterprise_in("5301")), seat_number=1)
    login(client, officer("2300"))  # Nanjing: Suzhou's district
    assert f"{SITTINGS}edit/{sitting.pk}/" not in client.get(SITTINGS).content.decode()
    for name in ("edit", "issue", "roster", "cards", "history"):
        assert client.get(reverse(f"wagtailsnippets_exams_sitting:{name}", args=[sitting.pk])).status_code == 404, name
    response = client.post(
        reverse("wagtailsnippets_exams_sitting:issue", args=[sitting.pk]),
        {"action": "confirm", "seat": f"{ticket.user_id + 1}:2"},
    )
    assert response.status_code == 404
    # ... and cannot place one in a room of another district either.
    response = client.post(SITTINGS + "add/", sitting_post(exam, computer_room(name="机房二")))
    assert "room" in response.context["form"].errors
    login(client, officer("0000"))  # GACC sees every district
    assert f"{SITTINGS}edit/{sitting.pk}/" in client.get(SITTINGS).content.decode()
    assert client.get(reverse("wagtailsnippets_exams_sitting:issue", args=[sitting.pk])).status_code == 200


def test_sitting_list_shows_seats_tickets_and_check_ins_and_filters(client, shenzhen, exam, room):
    sitting = place(exam, room)
    people = [staff_of(enterprise_in("5301")) for _ in range(3)]
    tickets = sittings.tickets_issue(sitting=sitting, seats=[(p, i + 1) for i, p in enumerate(people)])
    sittings.ticket_revoke(ticket=tickets[2], actor=shenzhen, reason="弃考", reissue=False)
    Ticket.objects.filter(pk=tickets[0].pk).update(checked_in_at=timezone.now())
    other = place(
        make_exam(title_zh="另一场考试", online=False, closes_at=timezone.now() + timedelta(days=7)), room, hours=6
    )
    login(client, shenzhen)
    response = client.get(SITTINGS, {"exam": exam.pk})
    row = next(r for r in response.context["object_list"] if r.pk == sitting.pk)
    assert (row.seats_used, row.tickets_revoked, row.checked_in) == (2, 1, 1)
    html = response.content.decode()
    assert "2 / 5" in html
    for url in (
        reverse("exams:console", args=[sitting.pk]),
        reverse("exams:sitting_tickets", args=[sitting.pk]),
        reverse("wagtailsnippets_exams_sitting:issue", args=[sitting.pk]),
        reverse("wagtailsnippets_exams_sitting:roster", args=[sitting.pk]),
        reverse("wagtailsnippets_exams_sitting:cards", args=[sitting.pk]),
    ):
        assert url in html
    assert f"{SITTINGS}edit/{other.pk}/" not in html  # filtered by exam
    assert f"{SITTINGS}edit/{other.pk}/" in client.get(SITTINGS, {"base": room.base_id}).content.decode()


def test_sitting_list_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries, shenzhen, exam):
    login(client, shenzhen)
    rooms = [computer_room(capacity=3, name=f"机房{i}") for i in range(6)]
    place(exam, rooms[0])
    client.get(SITTINGS)
    with CaptureQueriesContext(connection) as few:
        assert client.get(SITTINGS).status_code == 200
    for other in rooms[1:]:
        sitting = place(exam, other)
        sittings.tickets_issue(sitting=sitting, seats=[(staff_of(enterprise_in("5301")), n) for n in (1, 2)])
    with django_assert_max_num_queries(len(few)):
        assert client.get(SITTINGS).status_code == 200


# ---------------------------------------------------------------- tickets in batches


@pytest.fixture
def sitting(exam, room):
    return place(exam, room)


def issue_url(sitting):
    return reverse("wagtailsnippets_exams_sitting:issue", args=[sitting.pk])


def preview(client, sitting, **data):
    response = client.post(issue_url(sitting), {"action": "preview", **data})
    assert response.status_code == 200
    return response.context["preview"], response


def confirm(client, sitting, plan):
    return client.post(issue_url(sitting), {"action": "confirm", "seat": [f"{u}:{s}" for u, s in plan.seats]})


def live_seats(sitting) -> dict:
    return dict(Ticket.objects.filter(sitting=sitting, revoked_at=None).values_list("user__email", "seat_number"))


def test_pasted_list_gets_seats_in_order_skipping_taken_seats_and_holders(
    client, shenzhen, sitting, django_capture_on_commit_callbacks
):
    enterprise = enterprise_in("5301")
    a, b, c, holder = (staff_of(enterprise) for _ in range(4))
    c.phone = "+8613900139000"
    c.save(update_fields=["phone"])
    sittings.ticket_issue(sitting=sitting, user=holder, seat_number=2)
    login(client, shenzhen)
    batch, response = preview(client, sitting, lines=f"{a.email.upper()}\n\n{holder.email}\n139-0013-9000\n{b.email}")
    assert batch.plan.problems == () and batch.plan.seats == ((a.pk, 1), (c.pk, 3), (b.pk, 4))
    assert any("seat 2" in note for note in batch.plan.skipped)
    assert live_seats(sitting) == {holder.email: 2}  # the preview changes nothing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, sitting, batch.plan)
    assert response.status_code == 302
    assert live_seats(sitting) == {holder.email: 2, a.email: 1, c.email: 3, b.email: 4}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.email, b.email, c.email])
    assert all(t.paper_id for t in sitting.tickets.all())


def test_people_of_an_enterprise_are_chosen_from_the_list(client, shenzhen, sitting):
    enterprise = enterprise_in("5301")
    staff = [staff_of(enterprise) for _ in range(3)]
    outsider = staff_of(enterprise_in("5302"))
    login(client, shenzhen)
    page = client.get(issue_url(sitting), {"enterprise": enterprise.pk})
    assert set(page.context["form"].fields["people"].queryset) == set(staff)
    assert set(page.context["form"].initial["people"]) == set(staff)  # the whole enterprise, unless unticked
    batch, _r = preview(client, sitting, enterprise=enterprise.pk, people=[staff[2].pk, staff[0].pk])
    assert {u for u, _s in batch.plan.seats} == {staff[0].pk, staff[2].pk}
    assert [s for _u, s in batch.plan.seats] == [1, 2]
    # Someone of another enterprise posted with this enterprise chosen: not a valid choice.
    _batch, response = preview(client, sitting, enterprise=enterprise.pk, people=[outsider.pk])
    assert "people" in response.context["form"].errors


def test_validator_candidates_are_chosen_from_their_role(client, shenzhen, room):
    exam = make_exam(online=False, closes_at=timezone.now() + timedelta(days=7))
    bank = exam.blueprint.bank
    QuestionBank.objects.filter(pk=bank.pk).update(audience="validator")
    Exam.objects.filter(pk=exam.pk).update(audience="validator")
    exam.refresh_from_db()
    sitting = place(exam, room)
    candidates = [UserFactory(roles=[Role.VALIDATOR_CANDIDATE], customs_unit=unit("5301")) for _ in range(2)]
    elsewhere = UserFactory(roles=[Role.VALIDATOR_CANDIDATE], customs_unit=unit("2301"))
    login(client, shenzhen)
    offered = set(client.get(issue_url(sitting)).context["form"].fields["people"].queryset)
    assert offered == set(candidates)  # not the Suzhou candidate, not enterprise staff
    batch, _r = preview(client, sitting, people=[c.pk for c in candidates])
    assert batch.plan.ok and len(batch.plan.seats) == 2
    batch, _r = preview(client, sitting, lines=f"{elsewhere.email}\n{staff_of(enterprise_in('5301')).email}")
    assert batch.plan.seats == ()
    assert batch.plan.problems[0].startswith("Line 1: nobody")
    assert batch.plan.problems[1].startswith("Line 2: ") and "not among the exam's candidates" in batch.plan.problems[1]


def test_bad_lines_stop_the_whole_batch_with_their_numbers(client, shenzhen, sitting):
    good = staff_of(enterprise_in("5301"))
    candidate = UserFactory(roles=[Role.VALIDATOR_CANDIDATE], customs_unit=unit("5301"), email="v@example.com")
    login(client, shenzhen)
    batch, response = preview(
        client, sitting, lines=f"{good.email}\nnot-an-address\nghost@example.com\n{candidate.email}\n12345"
    )
    assert batch.plan.seats == () and not batch.plan.ok
    problems = " | ".join(batch.plan.problems)
    for expected in ("Line 2: ", "Line 3: ", "Line 4: ", "Line 5: "):
        assert expected in problems
    assert "Line 1" not in problems
    assert 'id="confirm-form"' not in response.content.decode()
    # A forged confirmation with the same people is refused as well: nothing issued.
    response = client.post(issue_url(sitting), {"action": "confirm", "seat": [f"{good.pk}:1", f"{candidate.pk}:2"]})
    assert response.status_code == 200 and live_seats(sitting) == {}
    assert any("not among" in str(m) for m in response.context["messages"])


def test_staff_of_blocked_enterprises_are_refused_by_name(client, shenzhen, sitting):
    suspended = enterprise_in("5301", name_zh="暂停培育有限公司", cultivation_status=CultivationStatus.SUSPENDED)
    blocked = staff_of(suspended, last_name="赵", first_name="六")
    fine = staff_of(enterprise_in("5301"))
    login(client, shenzhen)
    batch, _r = preview(client, sitting, lines=f"{fine.email}\n{blocked.email}")
    assert batch.plan.seats == ()
    assert any("暂停培育有限公司" in p and "赵六" in p for p in batch.plan.problems)
    response = client.post(issue_url(sitting), {"action": "confirm", "seat": [f"{fine.pk}:1", f"{blocked.pk}:2"]})
    assert response.status_code == 200 and live_seats(sitting) == {}


def test_too_few_seats_says_how_many_are_left(client, shenzhen, sitting):
    enterprise = enterprise_in("5301")
    sittings.ticket_issue(sitting=sitting, user=staff_of(enterprise), seat_number=3)
    people = [staff_of(enterprise) for _ in range(5)]
    login(client, shenzhen)
    batch, _r = preview(client, sitting, lines="\n".join(p.email for p in people))
    assert batch.plan.seats == ()
    assert "Only 4 seats are left in this room and 5 candidates need one" in batch.plan.problems[0]
    batch, _r = preview(client, sitting, lines="\n".join(p.email for p in people[:4]))
    assert [s for _u, s in batch.plan.seats] == [1, 2, 4, 5]


def test_seats_taken_after_the_preview_refuse_the_confirmation(client, shenzhen, sitting):
    enterprise = enterprise_in("5301")
    a, b = staff_of(enterprise), staff_of(enterprise)
    login(client, shenzhen)
    batch, _r = preview(client, sitting, lines=a.email)
    sittings.ticket_issue(sitting=sitting, user=b, seat_number=1)  # another officer, meanwhile
    response = confirm(client, sitting, batch.plan)
    assert response.status_code == 200
    assert any("changed since the preview" in str(m) for m in response.context["messages"])
    assert live_seats(sitting) == {b.email: 1}


def test_everyone_already_holding_a_ticket_issues_nothing(client, shenzhen, sitting):
    holder = staff_of(enterprise_in("5301"))
    sittings.ticket_issue(sitting=sitting, user=holder, seat_number=1)
    login(client, shenzhen)
    batch, response = preview(client, sitting, lines=f"{holder.email}\n{holder.email}")
    assert batch.plan.seats == () and batch.plan.problems == ()
    assert 'id="nothing-to-issue"' in response.content.decode()
    assert len(batch.plan.skipped) == 2  # listed twice, and holding seat 1


def test_garbage_confirmations_are_answered_with_a_message(client, shenzhen, sitting):
    login(client, shenzhen)
    for seats in (["x:1"], ["1:"], ["9" * 40 + ":1"], []):
        response = client.post(issue_url(sitting), {"action": "confirm", "seat": seats})
        assert response.status_code == 200
    assert client.post(issue_url(sitting), {"action": "preview"}).status_code == 200  # nobody chosen: a message
    assert live_seats(sitting) == {}


# ---------------------------------------------------------------- roster and cards


def test_roster_xlsx_and_all_cards_pdf(client, shenzhen, sitting, tmp_path, django_assert_max_num_queries):
    import io
    import subprocess

    from openpyxl import load_workbook

    enterprise = enterprise_in("5301", name_zh="深圳示范有限公司")
    people = [staff_of(enterprise, last_name="王", first_name=f"{n}号") for n in "一二三"]
    tickets = sittings.tickets_issue(sitting=sitting, seats=[(p, n) for p, n in zip(people, (3, 1, 2), strict=True)])
    Ticket.objects.filter(pk=tickets[1].pk).update(checked_in_at=timezone.now())
    login(client, shenzhen)
    response = client.get(reverse("wagtailsnippets_exams_sitting:roster", args=[sitting.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and isinstance(row[0], int)]
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (1, "王二号", "深圳示范有限公司"),
        (2, "王三号", "深圳示范有限公司"),
        (3, "王一号", "深圳示范有限公司"),
    ]
    assert rows[0][3] == tickets[1].code and rows[0][4] and not rows[1][4]

    response = client.get(reverse("wagtailsnippets_exams_sitting:cards", args=[sitting.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    path = tmp_path / "cards.pdf"
    path.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert int(info.split("Pages:")[1].split()[0]) == 3  # one card a page
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True).stdout
    assert "准考证" in first and tickets[1].code in first  # seat 1 first


def test_roster_query_count_does_not_grow_with_rows(client, shenzhen, django_assert_max_num_queries, exam):
    sitting = place(exam, computer_room(capacity=30, name="大机房"))
    enterprise = enterprise_in("5301")
    sittings.tickets_issue(sitting=sitting, seats=[(staff_of(enterprise), 1)])
    login(client, shenzhen)
    url = reverse("wagtailsnippets_exams_sitting:roster", args=[sitting.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    sittings.tickets_issue(sitting=sitting, seats=[(staff_of(enterprise_in("5302")), n) for n in range(2, 22)])
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
    issue_page = issue_url(sitting)
    client.get(issue_page)
    with CaptureQueriesContext(connection) as page:
        client.get(issue_page)
    sittings.tickets_issue(sitting=sitting, seats=[(staff_of(enterprise), n) for n in range(22, 30)])
    with django_assert_max_num_queries(len(page)):
        assert client.get(issue_page).status_code == 200


def test_cards_of_a_sitting_without_tickets_is_a_message_not_an_error(client, shenzhen, sitting):
    login(client, shenzhen)
    response = client.get(reverse("wagtailsnippets_exams_sitting:cards", args=[sitting.pk]))
    assert response.status_code == 302 and response["Location"] == issue_url(sitting)


# ---------------------------------------------------------------- two officers at once (PostgreSQL)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_issuing_at_once_get_different_seats(site):
    """The batch locks the sitting and plans under the lock: two batches racing for one room
    both get seats, never the same one, and a third that no longer fits is refused whole."""
    import threading

    from django.core.exceptions import ValidationError
    from django.db import connection as db
    from django.utils import translation

    from exams.services import ticket_batches

    exam = make_exam(online=False, closes_at=timezone.now() + timedelta(days=7))
    sitting = place(exam, computer_room(capacity=3))
    officers = [officer("5300"), officer("0000"), officer("5300")]
    groups = [[staff_of(enterprise_in("5301"))] for _ in range(2)] + [
        [staff_of(enterprise_in("5301")) for _ in range(2)]
    ]
    barrier = threading.Barrier(3)
    outcomes = []

    def run(actor, people):
        try:
            barrier.wait()
            with translation.override("en"):
                tickets, _plan = ticket_batches.ticket_batch_issue(
                    sitting=Sitting(pk=sitting.pk), actor=actor, user_ids=[p.pk for p in people]
                )
            outcomes.append(("ok", len(tickets)))
        except ValidationError as exc:
            outcomes.append(("refused", exc.messages[0]))
        finally:
            db.close()

    threads = [threading.Thread(target=run, args=pair) for pair in zip(officers, groups, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seats = list(Ticket.objects.filter(sitting=sitting, revoked_at=None).values_list("seat_number", flat=True))
    assert sorted(seats) == sorted(set(seats)) and len(seats) <= 3
    issued = sum(n for kind, n in outcomes if kind == "ok")
    assert issued == len(seats)
    refused = [message for kind, message in outcomes if kind == "refused"]
    assert all("seats are left" in message for message in refused)
    # Whichever order the lock gives, three seats hold 1 + 1 + 2 people only if one batch waits:
    # two batches are issued (2 or 3 tickets) and the last one that no longer fits is refused.
    assert issued in (2, 3) and len(refused) == 1


def test_every_page_of_the_two_viewsets_answers_without_an_error(client, shenzhen, sitting):
    """History, usage, delete (refused: nobody deletes an exam or a sitting here), choosers."""
    exam = sitting.exam
    paths = [
        f"{EXAMS}history/{exam.pk}/",
        f"{EXAMS}usage/{exam.pk}/",
        f"{EXAMS}delete/{exam.pk}/",
        f"{SITTINGS}history/{sitting.pk}/",
        f"{SITTINGS}usage/{sitting.pk}/",
        f"{SITTINGS}delete/{sitting.pk}/",
        f"{SITTINGS}edit/{sitting.pk}/",
        "/admin/snippets/choose/exams/exam/",
        "/admin/snippets/choose/exams/sitting/",
        f"{EXAMS}results/",
        f"{SITTINGS}results/",
    ]
    for user, wanted in ((shenzhen, {200, 302}), (officer("2300"), {200, 302, 404})):
        login(client, user)
        for path in paths:
            assert client.get(path).status_code in wanted, (user, path)
    login(client, shenzhen)
    assert client.post(f"{SITTINGS}delete/{sitting.pk}/").status_code == 302
    assert client.post(f"{EXAMS}delete/{exam.pk}/").status_code == 302
    assert Sitting.objects.filter(pk=sitting.pk).exists() and Exam.objects.filter(pk=exam.pk).exists()
    chosen = f"/admin/snippets/choose/exams/sitting/chosen/{sitting.pk}/"
    assert chosen in client.get("/admin/snippets/choose/exams/sitting/").content.decode()
    login(client, officer("2300"))
    assert chosen not in client.get("/admin/snippets/choose/exams/sitting/").content.decode()
    assert client.get(chosen).status_code == 404


def test_edit_pages_lead_to_the_exams_and_sittings_pages(client, shenzhen, sitting):
    login(client, shenzhen)
    exam_page = client.get(f"{EXAMS}edit/{sitting.exam_id}/").content.decode()
    for url in (
        reverse("wagtailsnippets_exams_exam:extra_time", args=[sitting.exam_id]),
        reverse("exams:results", args=[sitting.exam_id]),
        reverse("exams:report", args=[sitting.exam_id]),
    ):
        assert url in exam_page
    tickets_page = client.get(reverse("exams:sitting_tickets", args=[sitting.pk])).content.decode()
    assert reverse("wagtailsnippets_exams_sitting:issue", args=[sitting.pk]) in tickets_page
    sitting_page = client.get(f"{SITTINGS}edit/{sitting.pk}/").content.decode()
    assert reverse("wagtailsnippets_exams_sitting:issue", args=[sitting.pk]) in sitting_page
    assert reverse("exams:console", args=[sitting.pk]) in sitting_page
    login(client, UserFactory(roles=[Role.LEAD_TRAINER]))  # no sittings, results or reports
    exam_page = client.get(f"{EXAMS}edit/{sitting.exam_id}/").content.decode()
    assert reverse("exams:results", args=[sitting.exam_id]) not in exam_page
    assert "/admin/snippets/exams/sitting/" not in exam_page


def test_closed_exams_are_not_offered_for_a_new_sitting(client, shenzhen, exam):
    closed = make_exam(
        title_zh="已结束的考试",
        online=False,
        opens_at=timezone.now() - timedelta(days=9),
        closes_at=timezone.now() - timedelta(days=2),
    )
    login(client, shenzhen)
    offered = set(client.get(SITTINGS + "add/").context["form"].fields["exam"].queryset)
    assert exam in offered and closed not in offered
