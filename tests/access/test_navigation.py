"""The main menu of every role: each role's main features are reachable from it (the surveys to
answer, consultations, exams, readiness, live observation...), and every entry it shows opens
for that role (no link to a page that refuses them)."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from .tables import (
    ADMIN,
    ANON,
    CANDIDATE,
    COORDINATOR,
    GACC,
    INVIGILATOR,
    OFFICER,
    OTHER_OFFICER,
    OTHER_STAFF,
    ROLES,
    STAFF,
    TRAINER,
)

ENTERPRISE_FEATURES = (
    "trainees:my_enterprise",
    "courses:my_learning",
    "live:session_list",
    "training_bases:my_bookings",
    "exams:list",
    "readiness:report_mine",
    "surveys:my_surveys",
    "consultations:list",
)
OFFICER_FEATURES = (
    "trainees:enterprise_list",
    "trainees:round_list",
    "live:session_list",
    "training_bases:allocation",
    "readiness:dashboard",
    "surveys:results",
    "feedback:appraisal",
    "feedback:expert_roster",
)
# The main features of each role, by URL name.
FEATURES = {
    ANON: ("training_bases:calendar",),
    STAFF: ENTERPRISE_FEATURES,
    ADMIN: ENTERPRISE_FEATURES,
    OTHER_STAFF: ENTERPRISE_FEATURES,
    TRAINER: ("courses:trainer_stats", "live:session_list", "exams:marking", "surveys:results"),
    OFFICER: OFFICER_FEATURES,
    OTHER_OFFICER: OFFICER_FEATURES,
    GACC: OFFICER_FEATURES,
    INVIGILATOR: ("live:session_list", "training_bases:calendar", "exams:list"),
    CANDIDATE: ("exams:list", "exams:qualification", "surveys:my_surveys", "live:session_list"),
    COORDINATOR: ("consultations:desk", "live:session_list"),
}
# Never in a role's menu (pages for other roles).
NOT_FOR = {
    ANON: ("exams:list", "surveys:my_surveys", "consultations:list", "live:session_list"),
    STAFF: ("consultations:desk", "surveys:results", "feedback:appraisal", "exams:marking"),
    COORDINATOR: ("consultations:list", "exams:list"),
    OFFICER: ("consultations:list", "surveys:my_surveys", "exams:list"),
    TRAINER: ("exams:list", "consultations:list"),
}


def menu_links(html: str) -> list[str]:
    nav = html.split('id="main-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="([^"]+)"', nav)


def test_every_role_is_described():
    assert set(FEATURES) == set(ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_main_features_are_in_the_menu_and_every_entry_opens(client, world, role, language):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    with translation.override(language):
        home = reverse("training_bases:calendar")
        wanted = {name: reverse(name) for name in FEATURES[role]}
        unwanted = {name: reverse(name) for name in NOT_FOR.get(role, ())}
        with transaction.atomic():
            links = menu_links(client.get(home).content.decode())
            transaction.set_rollback(True)
        missing = sorted(name for name, url in wanted.items() if url not in links)
        assert missing == [], f"{role} cannot reach {missing} from the menu: {links}"
        assert sorted(name for name, url in unwanted.items() if url in links) == []
        refused = {}
        for url in links:
            with transaction.atomic():
                # A page may send the person on (readiness: to the self-assessment); it must end
                # on a page that opens, never on the login page or a refusal.
                response = client.get(url, follow=True)
                transaction.set_rollback(True)
            if response.status_code != 200 or "login" in response.request["PATH_INFO"]:
                refused[url] = (response.status_code, response.request["PATH_INFO"])
        assert refused == {}, f"{role}'s menu links to pages that do not open for them"
