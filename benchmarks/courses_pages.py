"""Catalogue and My learning at 10 and at 1,000 (issue 11, "Speed"): the number of SQL queries
of a page must not grow with the number of courses or enrolments.

Builds, on a scratch PostgreSQL database, a catalogue of 10 published courses (one lesson each;
every fifth course also requires a linked training session; every course for the finance
position) and one learner enrolled in all of them (half with their lesson done, a tenth completed
with a certificate); measures the pages; then adds courses and enrolments up to 1,000 and
measures again. Prints, per page and size, the queries of one signed-in request and the median
server time of 5 requests (Django test client, in process), then whether the counts are equal.
Target: the same query count at 10 and at 1,000.
Run: .venv/bin/python benchmarks/courses_pages.py [LARGE]   (LARGE defaults to 1000)"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scratch_db

DB = "bench_courses_pages"
scratch_db.configure(DB)
scratch_db.recreate(DB)

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

call_command("migrate", verbosity=0)
settings.ALLOWED_HOSTS = ["*"]

from certificates.models import Certificate  # noqa: E402
from cms.setup import ensure_site  # noqa: E402
from courses.models import CourseAudience, CourseIndexPage, CoursePage, Enrolment, ItemProgress, LessonPage  # noqa: E402
from trainees.models import Position, TrainingType, User  # noqa: E402

SMALL = 10
LARGE = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
RUNS = 5
PAGES = {
    "catalogue": "/courses/",
    "catalogue, position filter": f"/courses/?position={Position.FINANCE}",
    "catalogue, search 贸易安全": "/courses/?q=贸易安全",
    "catalogue, page 2": "/courses/?page=2",
    "My learning": "/learning/",
}

home = ensure_site()
index = home.add_child(instance=CourseIndexPage(title="课程中心", slug="courses"))
index.save_revision().publish()
learner = User.objects.create(email="learner@bench.example", last_name="王", first_name="学员")
EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
now = timezone.now()


def add_courses(start: int, stop: int) -> None:
    """Courses start..stop-1, each with one lesson, the learner enrolled; half the lessons done,
    a tenth of the courses completed with a certificate."""
    for i in range(start, stop):
        page = index.add_child(
            instance=CoursePage(
                title=f"贸易安全与内部控制课程{i:04d}",
                slug=f"course-{i}",
                summary="货物安全、场所安全、商业伙伴安全与内部控制。",
                training_type=TrainingType.AEO_CERTIFICATION if i % 2 else TrainingType.COMPLIANCE,
                duration_hours=4,
                requires_training_session=i % 5 == 0,
            )
        )
        CourseAudience.objects.create(course=page, position=Position.FINANCE)
        lesson = page.add_child(
            instance=LessonPage(
                title=f"课时{i:04d}",
                slug="lesson-1",
                body=[("paragraph", "<p>内部控制要求企业建立关企合作机制。</p>")],
            )
        )
        completed = i % 10 == 0
        enrolment = Enrolment.objects.create(
            user=learner,
            course_key=page.translation_key,
            enrolled_at=now - dt.timedelta(days=30, minutes=i),
            completed_at=now if completed else None,
        )
        if i % 2 == 0 or completed:
            ItemProgress.objects.create(
                enrolment=enrolment,
                item=ItemProgress.lesson_item(lesson.translation_key),
                started_at=now,
                completed_at=now,
                seconds_spent=300,
            )
        if completed:
            Certificate.objects.create(
                number=f"C-BENCH-{i:06d}",
                kind=Certificate.Kind.COURSE,
                subject=f"course:{page.translation_key}",
                holder=learner,
                holder_name="王学员",
                title_zh=page.title,
                hours=4,
                issued_on=timezone.localdate(now),
            )


def measure(client: Client, size: int) -> dict[str, tuple[int, float]]:
    figures = {}
    for name, url in PAGES.items():
        client.get(url)  # warm per-process caches (site, locales)
        reset_queries()  # DEBUG keeps at most 9,000 queries: start from an empty log
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        figures[name] = (len(queries), statistics.median(times))
        print(f"  {name:<28} N={size:>5}: {len(queries):>3} queries, {statistics.median(times):7.1f} ms median")
    return figures


client = Client()
client.force_login(learner)
started = time.perf_counter()
add_courses(0, SMALL)
print(f"{SMALL} courses and enrolments built in {time.perf_counter() - started:.1f} s")
small = measure(client, SMALL)
started = time.perf_counter()
add_courses(SMALL, LARGE)
print(f"{LARGE} courses and enrolments built in {time.perf_counter() - started:.1f} s")
assert CoursePage.objects.live().count() == LARGE and Enrolment.objects.filter(user=learner).count() == LARGE
large = measure(client, LARGE)
html = client.get("/learning/").content.decode()
assert html.count("data-course-key") == LARGE, "My learning lists every enrolment"

print()
met = True
for name in PAGES:
    equal = small[name][0] == large[name][0]
    met &= equal
    print(
        f"{name:<28} queries {small[name][0]:>3} at {SMALL} vs {large[name][0]:>3} at {LARGE}: "
        f"{'constant' if equal else 'GROWS'}; {small[name][1]:.1f} ms vs {large[name][1]:.1f} ms"
    )
print(f"target (query count constant in N): {'met' if met else 'NOT met'}")
print("load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores")
