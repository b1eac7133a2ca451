"""The anonymous page cache and the per-site menu cache (issue 9, point 3): what a visitor sees is
never someone else's, publishing and seat changes show at once, the menu costs the same whatever
its size."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Site

from cms.models import HomePage, SiteSettings, StandardPage
from lms import page_cache
from tests.training_bases.factories import SessionFactory, officer, staff
from training_bases import services
from training_bases.models import TrainingSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching(settings):
    """Caches on, starting from a generation no earlier test has written under."""
    settings.LMS_PAGE_CACHE_SECONDS = 600
    SiteSettings.for_site(Site.objects.get(is_default_site=True))  # made on first use otherwise
    page_cache.start_new_generations()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run `action()` and what it left for the commit, as a request's transaction would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def add_menu_page(committed, title: str, slug: str) -> StandardPage:
    home = HomePage.objects.get(locale__language_code="zh-hans")

    def publish():
        page = home.add_child(instance=StandardPage(title=title, slug=slug, show_in_menus=True, live=False))
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return committed(publish)


def test_anonymous_page_is_served_from_the_cache_until_a_page_is_published(caching, committed):
    first = Client().get("/")
    second = Client().get("/")
    assert first.status_code == second.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Content-Security-Policy" in second  # stored with the page; the policy has no nonces

    add_menu_page(committed, "政策解读新页", "new-policy")

    after = Client().get("/")
    assert after["X-Page-Cache"] == "miss"
    assert "政策解读新页" in after.content.decode()


def test_unpublishing_a_page_removes_it_from_cached_menus(caching, committed):
    page = add_menu_page(committed, "即将下线", "going-away")
    assert "即将下线" in Client().get("/").content.decode()
    assert Client().get("/")["X-Page-Cache"] == "hit"
    committed(page.unpublish)
    assert "即将下线" not in Client().get("/").content.decode()


def test_languages_are_cached_apart(caching):
    Client().get("/")
    english = Client().get("/en/")
    assert english["X-Page-Cache"] == "miss"
    assert 'lang="en"' in english.content.decode()
    assert Client().get("/en/")["X-Page-Cache"] == "hit"
    assert 'lang="zh-CN"' in Client().get("/").content.decode()


def test_a_logged_in_response_is_never_stored_nor_served_to_anyone(caching):
    person = staff(first_name="秘密", last_name="张")
    member = Client()
    member.force_login(person)
    mine = member.get("/")
    assert "X-Page-Cache" not in mine
    assert "张秘密" in mine.content.decode() or str(person) in mine.content.decode()

    visitor = [Client().get("/") for _ in range(2)]
    assert visitor[1]["X-Page-Cache"] == "hit"
    for response in visitor:
        assert str(person) not in response.content.decode()
        assert person.email not in response.content.decode()

    # With the anonymous page now cached, the member still gets their own page.
    again = member.get("/")
    assert "X-Page-Cache" not in again
    assert str(person) in again.content.decode()


def test_a_cached_anonymous_page_has_no_messages_no_csrf_token_and_sets_no_cookie(caching):
    warned = Client().get("/en/training/?date=1800-01-01")  # a message about the date range
    assert "The calendar covers" in warned.content.decode()
    assert "X-Page-Cache" not in warned  # a page with a message is never stored
    assert "X-Page-Cache" not in Client().get("/en/training/?date=1800-01-01")

    stored = Client().get("/en/training/")
    cached = Client().get("/en/training/")
    assert cached["X-Page-Cache"] == "hit"
    assert not cached.cookies
    assert "The calendar covers" not in cached.content.decode()
    assert "csrfmiddlewaretoken" not in cached.content.decode()
    assert not stored.cookies


def test_a_request_with_a_session_cookie_bypasses_the_cache(caching):
    Client().get("/")
    with_session = Client()
    with_session.cookies["sessionid"] = "anything"
    assert "X-Page-Cache" not in with_session.get("/")


def test_a_seat_change_shows_at_once_on_the_cached_calendar(caching, committed):
    session = SessionFactory(capacity=2)
    day = timezone.localtime(session.starts_at).date().isoformat()
    url = f"/en/training/?date={day}"
    assert "0/2 seats" in Client().get(url).content.decode()
    assert Client().get(url)["X-Page-Cache"] == "hit"

    trainee = staff()
    committed(lambda: services.booking_create(user=trainee, session_id=session.pk))

    after = Client().get(url)
    assert after["X-Page-Cache"] == "miss"
    assert "1/2 seats" in after.content.decode()


def test_a_moved_session_shows_at_once_on_the_cached_calendar(caching, committed):
    session = SessionFactory(capacity=2)
    day = timezone.localtime(session.starts_at).date()
    url = f"/en/training/?date={day.isoformat()}&view=week"
    assert session.title_en in Client().get(url).content.decode()
    session.starts_at += dt.timedelta(days=60)
    session.ends_at += dt.timedelta(days=60)
    committed(session.save)
    assert session.title_en not in Client().get(url).content.decode()


def _home_queries(client) -> list[str]:
    client.get("/training/")  # warm the caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/training/").status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_menu_costs_no_query_once_cached_whatever_its_size(caching, committed):
    member = Client()
    member.force_login(staff())
    small = _home_queries(member)
    for n in range(6):
        add_menu_page(committed, f"菜单页{n}", f"menu-{n}")
    large = _home_queries(member)
    assert len(large) == len(small)
    assert "菜单页5" in member.get("/training/").content.decode()
    assert not [sql for sql in large if "wagtailcore_page" in sql or "wagtailcore_locale" in sql]
    assert not [sql for sql in large if "cms_sitesettings" in sql or "wagtailcore_site" in sql]


def test_home_page_repeats_no_query(caching):
    member = Client()
    member.force_login(staff())
    member.get("/")
    with CaptureQueriesContext(connection) as ctx:
        member.get("/")
    statements = [q["sql"] for q in ctx.captured_queries]
    assert len(statements) == len(set(statements)), "a query runs twice"


def test_a_change_reaches_cached_pages_when_it_commits_not_before(caching, django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=2)
    url = f"/en/training/?date={timezone.localtime(session.starts_at).date().isoformat()}"
    Client().get(url)
    trainee = staff()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(user=trainee, session_id=session.pk)
        assert Client().get(url)["X-Page-Cache"] == "hit"  # the seat lock is held: no cache write
    assert "1/2 seats" in Client().get(url).content.decode()


def _session_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return sum("training_bases_trainingsession" in q["sql"] for q in ctx.captured_queries)


def test_logged_in_people_get_the_cached_calendar_grid_with_their_own_header(caching, committed):
    session = SessionFactory(capacity=2)
    url = f"/en/training/?date={timezone.localtime(session.starts_at).date().isoformat()}"
    first, second = staff(first_name="甲", last_name="王"), staff(first_name="乙", last_name="李")
    a, b = Client(), Client()
    a.force_login(first)
    b.force_login(second)
    assert _session_queries(a, url) == 1
    assert _session_queries(b, url) == 0  # the grid rendered for the first is served to the second
    page = b.get(url).content.decode()
    assert "0/2 seats" in page
    assert str(second) in page and str(first) not in page  # the header is each person's own
    assert "X-Page-Cache" not in b.get(url)  # the page around the grid is never stored

    committed(lambda: services.booking_create(user=first, session_id=session.pk))
    assert "1/2 seats" in b.get(url).content.decode()


def test_officers_and_trainees_see_their_own_calendar_grid(caching):
    draft = SessionFactory(status=TrainingSession.Status.DRAFT)
    url = f"/en/training/?date={timezone.localtime(draft.starts_at).date().isoformat()}"
    customs, trainee = Client(), Client()
    customs.force_login(officer())
    trainee.force_login(staff())
    assert draft.title_en in customs.get(url).content.decode()
    assert draft.title_en not in trainee.get(url).content.decode()
    assert draft.title_en not in Client().get(url).content.decode()


def _course_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return sum("courses_coursepage" in q["sql"] for q in ctx.captured_queries)


def test_logged_in_people_get_the_cached_catalogue_and_a_publication_shows_at_once(caching, committed):
    from tests.courses import factories as courses

    committed(lambda: courses.course("first-course", title="第一门课程"))
    member, person = Client(), staff(first_name="丙", last_name="赵")
    member.force_login(person)
    assert _course_queries(member, "/courses/") > 0
    assert _course_queries(member, "/courses/") == 0  # cards, filters and pages from the cache
    assert _course_queries(member, "/courses/?page=1") == 0  # the same page, however it is asked for
    page = member.get("/courses/").content.decode()
    assert "第一门课程" in page and str(person) in page

    committed(lambda: courses.course("second-course", title="第二门课程"))
    assert "第二门课程" in member.get("/courses/").content.decode()
    filtered = member.get("/courses/", {"q": "第二门"}).content.decode()
    assert "第二门课程" in filtered and "第一门课程" not in filtered


def test_page_bodies_are_rendered_once_for_everyone_until_a_publication(caching, committed):
    member, person = Client(), staff(first_name="丁", last_name="孙")
    member.force_login(person)
    home = HomePage.objects.get(locale__language_code="zh-hans")
    assert home.hero_title in member.get("/").content.decode()

    HomePage.objects.filter(pk=home.pk).update(hero_title="未发布的标题")  # not published: no new generation
    page = member.get("/").content.decode()
    assert f"<h1>{home.hero_title}</h1>" in page  # the body came from the cache
    assert "<h1>未发布的标题</h1>" not in page
    assert str(person) in page  # the header did not

    home.refresh_from_db()
    home.hero_title = "新发布的标题"
    committed(lambda: home.save_revision().publish())
    assert "<h1>新发布的标题</h1>" in member.get("/").content.decode()
    assert "<h1>新发布的标题</h1>" in Client().get("/").content.decode()


def test_a_preview_is_never_served_from_nor_stored_in_the_fragment_cache(caching, rf):
    from django.template import Context, Template

    template = Template('{% load site_tags %}{% cachedfragment "probe" 1 %}{{ title }}{% endcachedfragment %}')
    request = rf.get("/")
    assert template.render(Context({"title": "已发布", "request": request})) == "已发布"
    assert template.render(Context({"title": "另一个", "request": request})) == "已发布"  # cached
    request.is_preview = True
    assert template.render(Context({"title": "草稿", "request": request})) == "草稿"
    request.is_preview = False
    assert template.render(Context({"title": "另一个", "request": request})) == "已发布"


def test_page_links_further_down_a_page_cost_no_site_query(caching):
    from courses import services as courses_services
    from tests.courses import factories as courses

    person = staff()
    courses_services.enrolment_create(user=person, course=courses.course("linked-course", title="带链接的课程"))
    member = Client()
    member.force_login(person)
    member.get("/learning/")
    with CaptureQueriesContext(connection) as ctx:
        page = member.get("/learning/").content.decode()
    assert "带链接的课程" in page and "/courses/linked-course/" in page
    assert not [q["sql"] for q in ctx.captured_queries if "wagtailcore_site" in q["sql"]]


def test_learners_of_a_course_share_its_cached_outline_and_a_new_lesson_shows_at_once(caching, committed):
    from courses import services as courses_services
    from tests.courses import factories as courses

    course = committed(lambda: courses.course("outlined", title="有大纲的课程", lessons=()))
    committed(lambda: courses.lesson(course, "first"))
    first, second = staff(), staff()
    for person in (first, second):
        courses_services.enrolment_create(user=person, course=course)
    a, b = Client(), Client()
    a.force_login(first)
    b.force_login(second)
    assert "课时 first" in a.get("/learning/").content.decode()
    with CaptureQueriesContext(connection) as ctx:
        page = b.get("/learning/").content.decode()
    assert "课时 first" in page and "有大纲的课程" in page
    assert not [q for q in ctx.captured_queries if "wagtailcore_page" in q["sql"]]  # the outline came cached

    course.get_children().delete()
    committed(lambda: courses.lesson(course, "second"))
    assert "课时 second" in b.get("/learning/").content.decode()
