"""Catalogue, lesson pages, heartbeat endpoint, My learning, enterprise coverage, trainer
statistics and moderation (issue 11 points 2, 3, 5, 6, 8; speed: constant query counts)."""

import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from courses import selectors, services
from courses.models import CourseAudience, CoursePage, Enrolment, ItemProgress
from courses.reference_data import ensure_course_workflow
from tests.factories import EnterpriseStaffFactory, UserFactory
from tests.training_bases.factories import officer, staff
from trainees.models import Position, TrainingType
from trainees.roles import Role

from .factories import catalogue, course, lessons_of

pytestmark = pytest.mark.django_db


def _courses(n: int, start: int = 0):
    index = catalogue()
    for i in range(start, start + n):
        page = course(f"c-{i}", lessons=(), index=index, title=f"贸易安全课程{i:03d}")
        CourseAudience.objects.create(course=page, position=Position.FINANCE)
    return index


def test_catalogue_filters_by_type_method_position_and_area(client):
    from django.apps import apps

    area = apps.get_model("readiness", "CriteriaArea").objects.filter(key="trade_security").first()
    assert area is not None  # reference data of the criteria editions
    security = course(
        "security",
        title="贸易安全标准精讲",
        training_type=TrainingType.AEO_CERTIFICATION,
        method=CoursePage.Method.IN_CLASS,
    )
    CourseAudience.objects.create(course=security, position=Position.LOGISTICS_SECURITY)
    security.criteria_areas.add(area)
    security.save_revision().publish()
    course("credit", title="企业信用管理办法解读", summary="信用等级与信用修复。")
    page = client.get("/courses/", {"type": TrainingType.AEO_CERTIFICATION}).content.decode()
    assert "贸易安全标准精讲" in page and "企业信用管理办法解读" not in page
    page = client.get("/courses/", {"position": Position.LOGISTICS_SECURITY}).content.decode()
    assert "贸易安全标准精讲" in page and "企业信用管理办法解读" not in page
    page = client.get("/courses/", {"area": area.pk}).content.decode()
    assert "贸易安全标准精讲" in page and "企业信用管理办法解读" not in page
    page = client.get("/courses/", {"method": CoursePage.Method.IN_CLASS}).content.decode()
    assert "贸易安全标准精讲" in page and "企业信用管理办法解读" not in page
    # Unknown filter values are ignored, never a 500.
    assert client.get("/courses/", {"type": "bogus", "area": "x", "page": "999"}).status_code == 200


def test_catalogue_search_finds_chinese_words(client):
    course("credit", title="企业信用管理办法解读", summary="逐条解读信用等级、认证程序与信用修复。")
    course("security", title="贸易安全标准精讲", summary="场所安全、货物安全与商业伙伴安全。")
    page = client.get("/courses/", {"q": "信用修复"}).content.decode()
    assert "企业信用管理办法解读" in page and "贸易安全标准精讲" not in page
    page = client.get("/courses/", {"q": "货物安全"}).content.decode()
    assert "贸易安全标准精讲" in page and "企业信用管理办法解读" not in page


def test_catalogue_paginates_with_a_query_count_independent_of_courses(client, django_assert_max_num_queries):
    _courses(5)
    client.get("/courses/")  # first request of a site creates its settings row
    with CaptureQueriesContext(connection) as small:
        client.get("/courses/", {"position": Position.FINANCE})
    _courses(40, start=5)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/courses/", {"position": Position.FINANCE, "page": 2})
    page = response.content.decode()
    assert "贸易安全课程020" in page and "贸易安全课程019" not in page  # 20 per page, by title
    assert len(large) == len(small)


def test_course_page_shows_audience_and_enrol_button(client):
    page = course()
    CourseAudience.objects.create(course=page, position=Position.LEGAL_REPRESENTATIVE)
    html = client.get(page.url).content.decode()
    assert "法定代表人" in html
    learner = EnterpriseStaffFactory()
    client.force_login(learner)
    response = client.post(f"/learning/courses/{page.pk}/enrol/", follow=True)
    assert "您已报名" in response.content.decode()
    response = client.post(f"/learning/courses/{page.pk}/enrol/", follow=True)
    assert Enrolment.objects.filter(user=learner).count() == 1
    assert 'id="course-progress"' in response.content.decode()


def test_lesson_page_never_shows_the_quiz_answer_key(client):
    page = course(lessons=("quiz",))
    lesson = lessons_of(page)[0]
    learner = EnterpriseStaffFactory()
    services.enrolment_create(user=learner, course=page)
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert "AEO 通用标准有几类？" in html and 'name="q0"' in html
    assert "correct" not in html and "pass_percent" not in html


def test_mark_done_too_early_says_how_long_to_read(client):
    page = course(lessons=("text",))
    lesson = lessons_of(page)[0]
    learner = EnterpriseStaffFactory()
    services.enrolment_create(user=learner, course=page)
    client.force_login(learner)
    client.get(lesson.url)
    response = client.post(f"/learning/lessons/{lesson.pk}/done/", follow=True)
    assert "秒" in response.content.decode()
    assert not ItemProgress.objects.filter(completed_at__isnull=False).exists()


def _beat(client, watchable, played):
    return client.post(
        "/learning/heartbeat/", json.dumps({"watchable": watchable, "played": played}), content_type="application/json"
    )


def test_heartbeat_is_two_statements_besides_authentication(client):
    page = course(lessons=("video",))
    lesson = lessons_of(page)[0]
    learner = EnterpriseStaffFactory()
    services.enrolment_create(user=learner, course=page)
    client.force_login(learner)
    client.get(lesson.url)
    with CaptureQueriesContext(connection) as queries:
        response = _beat(client, f"lesson:{lesson.translation_key}", [[0, 1]])
    assert response.status_code == 200 and "seconds" in response.json()
    statements = [
        q["sql"]
        for q in queries
        if not any(word in q["sql"] for word in ("trainees_user", "django_session", "SAVEPOINT"))
    ]
    assert len(statements) <= 2, statements


def test_heartbeat_bad_input_answers_4xx_with_json(client):
    page = course(lessons=("video",))
    lesson = lessons_of(page)[0]
    watchable = f"lesson:{lesson.translation_key}"
    assert _beat(client, watchable, [[0, 1]]).status_code == 401
    learner = EnterpriseStaffFactory()
    client.force_login(learner)
    assert _beat(client, watchable, [[0, 1]]).status_code == 403  # not enrolled
    services.enrolment_create(user=learner, course=page)
    client.get(lesson.url)
    assert _beat(client, "lesson:not-a-uuid", [[0, 1]]).status_code == 400
    assert _beat(client, watchable, [[0, 10_000]]).status_code == 400
    response = client.post("/learning/heartbeat/", "not json", content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()


def _enrol_in(learner, n: int, start: int = 0):
    index = catalogue()
    for i in range(start, start + n):
        page = course(f"m-{i}", lessons=("text", "text"), index=index)
        services.enrolment_create(user=learner, course=page)


def test_my_learning_shows_progress_with_constant_queries(client):
    learner = EnterpriseStaffFactory()
    client.force_login(learner)
    _enrol_in(learner, 2)
    client.get("/learning/")  # first request of a site creates its settings row
    with CaptureQueriesContext(connection) as small:
        client.get("/learning/")
    _enrol_in(learner, 10, start=2)
    enrolment = Enrolment.objects.filter(user=learner).last()
    enrolment.completed_at = timezone.now()
    enrolment.save()
    with CaptureQueriesContext(connection) as large:
        html = client.get("/learning/").content.decode()
    assert len(large) == len(small)
    assert html.count("data-course-key") == 12
    assert "completed-courses" in html and str(enrolment.course_key) in html


def test_enterprise_coverage_selector_and_page(client):
    legal = staff(position=Position.LEGAL_REPRESENTATIVE)
    finance = staff(position=Position.FINANCE, enterprise=legal.enterprise)
    outsider = staff()
    page = course("aeo-cert", lessons=(), title="高级认证标准精讲", training_type=TrainingType.AEO_CERTIFICATION)
    done_at = dt.datetime(2027, 3, 2, 2, 0, tzinfo=dt.UTC)
    Enrolment.objects.create(user=legal, course_key=page.translation_key, enrolled_at=done_at, completed_at=done_at)
    Enrolment.objects.create(user=finance, course_key=page.translation_key, enrolled_at=done_at)
    coverage = selectors.enterprise_training_coverage(legal.enterprise_id)
    assert [p.position for p in coverage] == [Position.LEGAL_REPRESENTATIVE, Position.FINANCE]
    first = coverage[0].completed[0]
    assert (first.title, first.training_type, first.completed_on) == (
        "高级认证标准精讲",
        TrainingType.AEO_CERTIFICATION,
        dt.date(2027, 3, 2),
    )
    assert coverage[1].completed == [] and coverage[1].in_progress == ["高级认证标准精讲"]
    url = f"/learning/enterprises/{legal.enterprise_id}/"
    client.force_login(legal)  # the legal representative administers the enterprise
    # Coverage per position: "legal representative: AEO certification training completed 2027-03-02".
    row = client.get(url).content.decode().split(f'data-user="{legal.pk}"')[1].split("</tr>")[0]
    assert "法定代表人" in row and "AEO 认证培训" in row and "2027-03-02" in row
    assert url in client.get("/enterprises/mine/").content.decode()  # linked from their enterprise page
    client.force_login(officer(customs_unit=legal.enterprise.customs_unit))
    assert url in client.get(f"/enterprises/{legal.enterprise_id}/").content.decode()  # and the officer's
    client.force_login(finance)
    assert client.get(url).status_code == 403
    client.force_login(outsider)  # another enterprise's page is not found
    assert client.get(url).status_code == 404


def test_trainer_statistics_and_export(client):
    trainer = UserFactory(roles=[Role.TRAINER])
    mine = course("mine", lessons=("text",), title="=HYPERLINK(1)")
    mine.trainers.add(trainer)
    mine.save_revision().publish()
    course("theirs", lessons=())
    learners = [EnterpriseStaffFactory() for _ in range(3)]
    for learner in learners:
        services.enrolment_create(user=learner, course=mine)
    lesson = lessons_of(mine)[0]
    services.lesson_open(user=learners[0], lesson=lesson)
    services.lesson_open(user=learners[1], lesson=lesson)
    services.lesson_mark_done(user=learners[1], lesson=lesson, now=timezone.now() + dt.timedelta(seconds=120))
    client.force_login(trainer)
    html = client.get("/learning/statistics/").content.decode()
    assert 'data-course="mine"' in html and 'data-course="theirs"' not in html
    [row] = selectors.course_statistics(courses=selectors.courses_for_trainer(trainer))
    assert (row.enrolled, row.in_progress, row.completed) == (3, 1, 1) and row.average_seconds >= 120
    sheet = load_workbook(io.BytesIO(client.get("/learning/statistics.xlsx").content)).active
    assert sheet["A2"].value == "=HYPERLINK(1)" and sheet["A2"].data_type == "s" and sheet["C2"].value == 3
    assert sheet.freeze_panes == "A2" and sheet.print_title_rows == "$1:$1"
    client.force_login(EnterpriseStaffFactory())
    assert client.get("/learning/statistics/").status_code == 403


def test_officer_enrols_a_cohort_in_one_action(client):
    from tests.training_bases.factories import publish_key_list

    first = staff()
    round_ = publish_key_list([(first, 1, ("suzhou",), first.position)])
    page = course()
    client.force_login(officer(customs_unit=round_.customs_unit))
    # Reached from the published list: the list is chosen already.
    link = f"/learning/cohorts/?round={round_.pk}"
    assert link in client.get(f"/enterprises/rounds/{round_.pk}/").content.decode().replace("&amp;", "&")
    assert f'value="{round_.pk}" selected' in client.get(link).content.decode()
    response = client.post("/learning/cohorts/", {"round": round_.pk, "course": page.pk})
    assert 'data-enrolled="1"' in response.content.decode()
    response = client.post("/learning/cohorts/", {"round": round_.pk, "course": page.pk})
    assert 'data-enrolled="0" data-already="1"' in response.content.decode()
    client.force_login(first)
    assert client.get("/learning/cohorts/").status_code == 403


def test_moderation_trainers_submit_lead_trainers_publish(client):
    from wagtail.models import Workflow

    page = course("moderated", lessons=())
    ensure_course_workflow(__import__("django.apps").apps.apps)
    listed = UserFactory(roles=[Role.TRAINER])
    other = UserFactory(roles=[Role.TRAINER])
    lead = UserFactory(roles=[Role.LEAD_TRAINER])
    page.trainers.add(listed)
    page.save_revision().publish()
    edit = f"/admin/pages/{page.pk}/edit/"
    client.force_login(other)
    assert client.get(edit).status_code == 403
    client.force_login(listed)
    html = client.get(edit).content.decode()
    assert 'name="action-submit"' in html and 'name="action-publish"' not in html
    client.force_login(lead)
    assert 'name="action-publish"' in client.get(edit).content.decode()

    # The listed trainer submits a change; the lead trainer approves it; every revision is kept.
    page.summary = "修改后的简介"
    revision = page.save_revision(user=listed)
    workflow = Workflow.objects.get(name__startswith="课程审核")
    assert page.get_workflow() == workflow
    state = workflow.start(page, listed)
    task_state = state.current_task_state
    assert task_state.task.specific.user_can_access_editor(page, lead)
    task_state.task.specific.on_action(task_state, lead, "approve", comment="")
    page.refresh_from_db()
    assert page.live_revision_id == revision.pk and page.revisions.count() >= 3
    assert page.specific.summary == "修改后的简介"


def test_a_catalogue_created_in_the_back_office_gets_the_review_workflow(client):
    from cms.setup import ensure_site
    from courses.models import CourseIndexPage

    home = ensure_site()
    CourseIndexPage.objects.all().delete()
    client.force_login(UserFactory(is_superuser=True))
    response = client.post(
        f"/admin/pages/add/courses/courseindexpage/{home.pk}/",
        {"title": "课程中心", "slug": "courses", "intro": "", "action-publish": "1"},
    )
    assert response.status_code == 302
    index = CourseIndexPage.objects.get()
    assert index.get_workflow() is not None and index.get_workflow().name.startswith("课程审核")


JUNK_NUMBERS = ("²", "٣x", "99999999999999999999999", "-1", " ")


def test_junk_numbers_in_filters_and_forms_never_fail(client):
    """Digits the database cannot take (superscripts, huge numbers) are ignored or refused with a
    message, never a server error."""
    from tests.training_bases.factories import publish_key_list

    page = course(lessons=("quiz",))
    lesson = lessons_of(page)[0]
    for junk in JUNK_NUMBERS:
        assert client.get("/courses/", {"area": junk, "page": junk}).status_code == 200
    learner = EnterpriseStaffFactory()
    services.enrolment_create(user=learner, course=page)
    client.force_login(learner)
    client.get(lesson.url)
    block_id = lesson.quiz_blocks[0].id
    for junk in JUNK_NUMBERS:
        response = client.post(f"/learning/lessons/{lesson.pk}/quiz/{block_id}/", {"q0": junk, "q1": "1"}, follow=True)
        assert response.status_code == 200
    assert not ItemProgress.objects.filter(quiz_passed_at__isnull=False).exists()
    first = staff()
    round_ = publish_key_list([(first, 1, ("suzhou",), first.position)])
    client.force_login(officer(customs_unit=round_.customs_unit))
    for junk in JUNK_NUMBERS:
        for data in ({"round": junk, "course": page.pk}, {"round": round_.pk, "course": junk}):
            response = client.post("/learning/cohorts/", data)
            assert response.status_code == 200 and "cohort-report" not in response.content.decode()
    assert not Enrolment.objects.filter(user=first).exists()


def test_lesson_renders_every_kind_of_content_block(client):
    """Rich text, callout, document, downloadable checklist and a video given as an HLS address
    (played through the vendored hls.js) all render on the lesson page."""
    from wagtail.models import Locale

    from courses.models import LessonPage

    from .factories import video_document

    page = course(lessons=())
    handout = video_document()
    page.add_child(
        instance=LessonPage(
            title="单证保管",
            slug="documents",
            body=[
                ("video", {"file": None, "url": "https://video.example.cn/aeo/index.m3u8", "duration_seconds": 60}),
                ("paragraph", "<p>进出口单证应保存不少于 3 年。</p>"),
                ("callout", {"kind": "warning", "text": "<p>单证缺失将影响认证结论。</p>"}),
                ("document", {"document": handout, "title": "单证保管制度范本"}),
                ("checklist", {"title": "自查清单", "items": ["报关单", "合同"], "document": handout}),
            ],
            locale=Locale.objects.get(language_code="zh-hans"),
        )
    ).save_revision().publish()
    html = client.get("/courses/aeo-basics/documents/").content.decode()
    assert 'data-src="https://video.example.cn/aeo/index.m3u8"' in html and "hls.min.js" in html
    assert "进出口单证应保存不少于 3 年" in html and "单证缺失将影响认证结论" in html
    assert "单证保管制度范本" in html and "自查清单" in html and "☐ 报关单" in html
    assert "下载检查清单" in html and handout.url in html
