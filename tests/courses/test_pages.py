"""Trainers publish courses and lessons as Wagtail pages, in Chinese and English."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import demo
from courses.models import CourseIndexPage, CoursePage
from tests.factories import UserFactory
from trainees.models import TrainingType
from trainees.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    from cms import demo as cms_demo

    cms_demo.seed(lambda message: None)
    demo.seed(lambda message: None)
    return CourseIndexPage.objects.get(locale__language_code="zh-hans")


def test_catalogue_lists_courses_and_filters_by_training_type(client, catalogue):
    page = client.get("/courses/").content.decode()
    assert "企业信用管理办法解读" in page and "高级认证企业标准（2026）精讲" in page
    filtered = client.get("/courses/", {"type": TrainingType.AEO_CERTIFICATION}).content.decode()
    assert "高级认证企业标准（2026）精讲" in filtered
    assert "企业信用管理办法解读" not in filtered


def test_course_page_shows_facts_and_lessons_in_order(client, catalogue):
    page = client.get("/courses/aeo-criteria-2026/").content.decode()
    assert page.index("内部控制标准") < page.index("贸易安全标准") < page.index("海关认证程序与现场验证")
    assert "AEO 认证培训" in page


def test_english_catalogue_is_a_translation(client, catalogue):
    page = client.get("/en/courses/aeo-criteria-2026/").content.decode()
    assert "The 2026 Advanced Certified Enterprise criteria" in page
    assert "Trade security criteria" in page
    english = CoursePage.objects.get(locale__language_code="en", slug="aeo-criteria-2026")
    chinese = CoursePage.objects.get(locale__language_code="zh-hans", slug="aeo-criteria-2026")
    assert english.translation_key == chinese.translation_key


def test_seeding_twice_changes_nothing(catalogue):
    before = CoursePage.objects.count()
    demo.seed(lambda message: None)
    assert CoursePage.objects.count() == before == 12


def test_trainers_add_courses_in_the_back_office(client, catalogue):
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    response = client.get(f"/admin/pages/add/courses/coursepage/{catalogue.pk}/")
    assert response.status_code == 200
    client.force_login(UserFactory(roles=[Role.ENTERPRISE_STAFF]))
    assert client.get(f"/admin/pages/add/courses/coursepage/{catalogue.pk}/").status_code == 403


def add_courses(catalogue, n: int, offset: int = 0) -> None:
    for i in range(offset, offset + n):
        catalogue.add_child(
            instance=CoursePage(
                title=f"课程{i:04d}", slug=f"extra-{i}", summary="…", training_type=TrainingType.COMPLIANCE
            )
        )


def catalogue_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/courses/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_catalogue_query_count_is_the_same_for_10_and_1000_courses(client, catalogue, django_assert_max_num_queries):
    CoursePage.objects.child_of(catalogue).delete()
    add_courses(catalogue, 10)
    catalogue_queries(client)  # warm per-process caches (site, locales)
    small, html = catalogue_queries(client)
    assert html.count("课程00") == 10
    add_courses(catalogue, 990, offset=10)
    with django_assert_max_num_queries(30):
        large, html = catalogue_queries(client)
    assert 'rel="next"' in html  # 1,000 courses: paginated, the next page is offered
    assert large == small
