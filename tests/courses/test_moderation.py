"""Course moderation through Wagtail's workflow (issue 11 point 2): a lead trainer rejects a
trainer's submission with a comment, and the trainer reads it; only listed trainers edit."""

import pytest
from django.apps import apps
from django.core import mail
from wagtail.models import TaskState, WorkflowState

from courses.reference_data import ensure_course_workflow
from tests.factories import UserFactory
from trainees.roles import Role

from .factories import course

pytestmark = pytest.mark.django_db
COMMENT = "请补充第三课的单证保管要求，并注明海关总署令第 282 号的条款。"


@pytest.fixture
def submitted():
    """A published course, its listed trainer's change submitted to the course-review workflow."""
    page = course("reviewed", lessons=("text",))
    ensure_course_workflow(apps)
    trainer = UserFactory(roles=[Role.TRAINER], email="trainer@example.com")
    page.trainers.add(trainer)
    page.save_revision().publish()
    page.summary = "修改后的简介"
    page.save_revision(user=trainer, log_action=True)
    state = page.get_workflow().start(page, trainer)
    return page, trainer, state


def refused(response) -> bool:
    """Wagtail answers a refused back-office action with 403 or a redirect to the dashboard."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def action_url(page, state, action):
    return f"/admin/pages/workflow/action/{page.pk}/{action}/{state.current_task_state.pk}/"


def test_lead_trainer_rejects_with_a_comment_and_the_trainer_reads_it(client, submitted):
    page, trainer, state = submitted
    lead = UserFactory(roles=[Role.LEAD_TRAINER])
    # Another trainer (not a lead trainer) may not decide; nothing changes.
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    assert refused(client.post(action_url(page, state, "reject"), {"comment": "不行"}))
    # The submitting trainer may not approve their own change either.
    client.force_login(trainer)
    assert refused(client.post(action_url(page, state, "approve"), {"comment": ""}))
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    client.force_login(lead)
    response = client.post(action_url(page, state, "reject"), {"comment": COMMENT})
    assert response.status_code == 302 and not refused(response)
    state.refresh_from_db()
    task_state = TaskState.objects.filter(workflow_state=state).latest("started_at")
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert task_state.status == TaskState.STATUS_REJECTED and task_state.get_comment() == COMMENT
    page.refresh_from_db()
    assert page.specific.summary != "修改后的简介"  # the live course is unchanged

    # The trainer reads the comment in the page's workflow history and in the notice e-mail.
    client.force_login(trainer)
    history = client.get(f"/admin/pages/{page.pk}/workflow_history/detail/{state.pk}/")
    assert history.status_code == 200 and COMMENT in history.content.decode()
    notices = [m for m in mail.outbox if trainer.email in m.to]
    assert notices and COMMENT in notices[-1].body


def test_after_a_rejection_the_trainer_resubmits_and_the_lead_trainer_approves(client, submitted):
    page, trainer, state = submitted
    lead = UserFactory(roles=[Role.LEAD_TRAINER])
    client.force_login(lead)
    client.post(action_url(page, state, "reject"), {"comment": COMMENT})
    # Changes requested: the trainer edits again and resubmits (Wagtail's "resubmit").
    page.summary = "按审核意见修改后的简介"
    revision = page.save_revision(user=trainer)
    state.refresh_from_db()
    state.resume(trainer)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert client.post(action_url(page, state, "approve"), {"comment": "同意发布"}).status_code == 302
    page.refresh_from_db()
    assert page.live_revision_id == revision.pk and page.specific.summary == "按审核意见修改后的简介"


def test_a_trainer_edits_only_courses_they_are_listed_on_or_created(client):
    ensure_course_workflow(apps)
    listed, creator, other = (UserFactory(roles=[Role.TRAINER]) for _ in range(3))
    page = course("own", lessons=("text",))
    page.trainers.add(listed)
    page.owner = creator
    page.save_revision().publish()
    lesson = page.get_children().first()
    for user, allowed in ((listed, True), (creator, True), (other, False)):
        client.force_login(user)
        for target in (page, lesson):
            status = client.get(f"/admin/pages/{target.pk}/edit/").status_code
            assert (status == 200) is allowed, (user, target, status)
        if not allowed:
            assert refused(client.get(f"/admin/pages/{page.pk}/delete/"))
            assert refused(client.get(f"/admin/pages/add/courses/lessonpage/{page.pk}/"))


def test_only_lead_trainers_publish_unpublish_move_or_copy_course_content_by_any_path(client):
    """The review cannot be bypassed through the page actions Wagtail offers besides editing:
    unpublish, bulk publish / unpublish, move and copy are for lead trainers only."""
    page = course("guarded", lessons=("text",))
    other = course("other-course", lessons=())
    ensure_course_workflow(apps)
    trainer = UserFactory(roles=[Role.TRAINER])
    page.trainers.add(trainer)
    page.save_revision().publish()
    lesson = page.get_children().first()
    page.summary = "未经审核的修改"
    page.save_revision(user=trainer)

    client.force_login(trainer)
    assert refused(client.post(f"/admin/pages/{page.pk}/unpublish/", {}))
    assert refused(client.post(f"/admin/bulk/wagtailcore/page/unpublish/?id={page.pk}", {}))
    assert refused(client.post(f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}", {}))
    assert refused(client.post(f"/admin/pages/{lesson.pk}/move/{other.pk}/confirm/", {}))
    assert refused(client.get(f"/admin/pages/{page.pk}/copy/"))
    page.refresh_from_db()
    lesson.refresh_from_db()
    assert page.live and page.specific.summary != "未经审核的修改"
    assert lesson.get_parent().pk == page.pk

    client.force_login(UserFactory(roles=[Role.LEAD_TRAINER]))
    assert not refused(client.post(f"/admin/pages/{page.pk}/unpublish/", {}))
    page.refresh_from_db()
    assert not page.live
