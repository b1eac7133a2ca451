"""Moderation rules in the back office (issue 11 point 2): only lead trainers publish course
content directly (trainers submit to the course-review workflow), and a trainer edits only the
courses they are listed on or created (and their lessons)."""

from django.http import HttpResponseForbidden
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page

from trainees.access import is_lead_trainer, may_edit_course

from .models import CourseIndexPage, CoursePage, LessonPage


def _course_of(page) -> CoursePage | None:
    page = page.specific
    if isinstance(page, CoursePage):
        return page
    if isinstance(page, LessonPage):
        return page.get_parent().specific
    return None


def _is_course_content(page) -> bool:
    return isinstance(page.specific, (CourseIndexPage, CoursePage, LessonPage))


@hooks.register("before_edit_page")
def only_listed_trainers_edit(request, page):
    course = _course_of(page)
    if course is not None and not may_edit_course(request.user, course):
        return HttpResponseForbidden(_("Only the trainers listed on this course and lead trainers may edit it."))
    return None


@hooks.register("before_delete_page")
def only_listed_trainers_delete(request, page):
    return only_listed_trainers_edit(request, page)


@hooks.register("before_create_page")
def only_listed_trainers_add_lessons(request, parent_page, page_class):
    if issubclass(page_class, LessonPage):
        return only_listed_trainers_edit(request, parent_page)
    return None


@hooks.register("before_publish_page")
def only_lead_trainers_publish(request, page):
    if _is_course_content(page) and not is_lead_trainer(request.user):
        return HttpResponseForbidden(_("Submit the course for review: a lead trainer publishes it."))
    return None


def _lead_trainers_only(request, page):
    if _is_course_content(page) and not is_lead_trainer(request.user):
        return HttpResponseForbidden(_("Only a lead trainer may publish, unpublish, move or copy course content."))
    return None


@hooks.register("before_unpublish_page")
def only_lead_trainers_unpublish(request, page):
    return _lead_trainers_only(request, page)


@hooks.register("before_move_page")
def only_lead_trainers_move(request, page, destination):
    return _lead_trainers_only(request, page) or _lead_trainers_only(request, destination)


@hooks.register("before_copy_page")
def only_lead_trainers_copy(request, page):
    """A copy may be published at once (Wagtail's "publish copies"), bypassing the review."""
    return _lead_trainers_only(request, page)


@hooks.register("before_bulk_action")
def only_lead_trainers_act_in_bulk(request, action_type, objects, action_class_instance):
    """Bulk publish, unpublish, move and delete of pages skip the per-page hooks above."""
    for obj in objects:
        if isinstance(obj, Page):
            refused = _lead_trainers_only(request, obj)
            if refused is not None:
                return refused
    return None


@hooks.register("construct_page_action_menu")
def hide_publish_from_trainers(menu_items, request, context):
    page = context.get("page") or context.get("parent_page")
    if page is None or is_lead_trainer(request.user):
        return
    if context.get("view") == "create":
        in_courses = isinstance(page.specific, (CourseIndexPage, CoursePage))
    else:
        in_courses = _is_course_content(page)
    if in_courses:
        menu_items[:] = [item for item in menu_items if getattr(item, "name", "") != "action-publish"]


@hooks.register("after_create_page")
def review_new_catalogues(request, page):
    """A new course catalogue (e.g. another language) gets the course-review workflow at once."""
    if isinstance(page.specific, CourseIndexPage):
        from django.apps import apps

        from .reference_data import ensure_course_workflow

        ensure_course_workflow(apps)
