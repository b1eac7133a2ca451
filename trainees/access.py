"""Who may see and do what: the one access module every view, API endpoint, export and back-office
view asks (ARCHITECTURE.md "Shared mechanisms: Access").

Scoping rules (seed 004, function and responsibility; Measures on Enterprise Credit Cultivation
Management): GACC officers (and superusers) see the whole country; a regional customs officer
sees their unit and the local customs under it; a local customs officer their own unit.
Enterprise staff see their own enterprise only. Trainers see the sessions they teach.

Querysets are scoped "by construction": every list, object lookup and form choice starts from a
`*_visible_to(user)` queryset or from `in_district(user, queryset, path)`, so an object outside the
user's district is simply not found (404), never shown and refused afterwards.

This module is the ground floor (`trainees`): it knows other apps' models only by the lookup path
a caller passes (e.g. `"base__customs_unit"` for training sessions)."""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.contrib.admin.utils import unquote
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.forms import modelform_factory
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permission_policies.base import BasePermissionPolicy, ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import CustomsUnit, Enterprise, SelectionRound
from .roles import Role

if TYPE_CHECKING:  # pragma: no cover
    from .models import User


# --- Who the user is -------------------------------------------------------------------------


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_customs_officer(user) -> bool:
    """A customs officer attached to a customs unit (superusers count as GACC officers)."""
    if not _authenticated(user):
        return False
    return user.is_superuser or (user.customs_unit_id is not None and user.has_role(Role.CUSTOMS_OFFICER))


# Training pages call officers "officers"; the same rule.
is_officer = is_customs_officer


def is_gacc(user) -> bool:
    """A GACC-level officer (or a superuser): sees every district."""
    if not is_customs_officer(user):
        return False
    return user.is_superuser or (user.customs_unit is not None and user.customs_unit.level == CustomsUnit.Level.GACC)


def is_lead_trainer(user) -> bool:
    """A lead trainer approves and publishes courses (issue 11, point 2); superusers count."""
    return _authenticated(user) and (user.is_superuser or user.has_role(Role.LEAD_TRAINER))


def is_trainer(user) -> bool:
    """A trainer or a lead trainer."""
    return is_lead_trainer(user) or (_authenticated(user) and user.has_role(Role.TRAINER))


def may_learn(user) -> bool:
    """Anybody signed in may enrol in published courses."""
    return _authenticated(user)


def may_edit_course(user, course) -> bool:
    """Lead trainers edit every course; a trainer the ones they are listed on as a trainer and
    the ones they created (issue 11, point 2)."""
    if is_lead_trainer(user):
        return True
    if not is_trainer(user):
        return False
    return course.owner_id == user.pk or any(trainer.pk == user.pk for trainer in course.trainers.all())


def is_enterprise_staff(user) -> bool:
    return _authenticated(user) and user.enterprise_id is not None


def has_back_office_access(user) -> bool:
    """May open the Wagtail back office (`wagtailadmin.access_admin`: officers, trainers,
    superusers and any role later given that permission)."""
    return _authenticated(user) and user.is_active and user.has_perm("wagtailadmin.access_admin")


def must_use_mfa(user) -> bool:
    """Back-office users must use two-factor authentication when `LMS_REQUIRE_STAFF_MFA` is on
    (issue 7, point 2: on in production settings)."""
    return bool(getattr(settings, "LMS_REQUIRE_STAFF_MFA", False)) and has_back_office_access(user)


# --- Exams (issue 14) --------------------------------------------------------------------------


def is_validator_candidate(user) -> bool:
    return _authenticated(user) and user.has_role(Role.VALIDATOR_CANDIDATE)


# Who sits exams of each audience (`exams.QuestionBank.Audience`).
EXAM_AUDIENCE_ROLES = {"enterprise": Role.ENTERPRISE_STAFF, "validator": Role.VALIDATOR_CANDIDATE}


def exam_audiences(user) -> list[str]:
    """The exam audiences a person belongs to (by role)."""
    if not _authenticated(user):
        return []
    return [audience for audience, role in EXAM_AUDIENCE_ROLES.items() if user.has_role(role)]


def may_sit_exams(user) -> bool:
    """People who sit exams: enterprise staff (the AEO certification training test) and validator
    candidates. Their exams, exam tickets and attempts are on /exams/ (menu "My exams")."""
    return is_enterprise_staff(user) or bool(exam_audiences(user))


def may_open_my_exams(user) -> bool:
    """Who has "My exams" (/exams/) in the menu: people who sit exams, and invigilators, who find
    there the sittings they run (`sittings_invigilated_by`) and their consoles."""
    return may_sit_exams(user) or (_authenticated(user) and user.has_role(Role.INVIGILATOR))


def may_invigilate(user) -> bool:
    """Invigilators and customs officers run invigilator consoles; which sittings is
    `sittings_invigilated_by`."""
    return _authenticated(user) and (user.has_role(Role.INVIGILATOR) or is_customs_officer(user))


def may_mark_exams(user) -> bool:
    """Trainers mark case-analysis answers and re-mark them."""
    return is_trainer(user)


def may_release_exam_results(user) -> bool:
    """Customs officers release results and see validator qualifications."""
    return is_customs_officer(user)


SITTING_UNIT_PATH = "session__base__customs_unit"


def may_manage_exams(user) -> bool:
    """The exams back office (issue 14 point 1): customs officers and lead trainers create and
    edit exams (audience, blueprint, timing, review options, extra time). Exams belong to no
    district: an exam is sat in every district's sittings."""
    return is_customs_officer(user) or is_lead_trainer(user)


def may_manage_sittings(user) -> bool:
    """Sittings are planned, and their tickets issued, by customs officers; which sittings is
    `sittings_managed_by` (the bases of their district)."""
    return is_customs_officer(user)


def sittings_managed_by(user, queryset: QuerySet) -> QuerySet:
    """Exam sittings whose tickets an officer issues, revokes and reissues: those at a base of
    their district (GACC: all); nothing for anyone else."""
    return in_district(user, queryset, SITTING_UNIT_PATH)


def people_visible_to(user, queryset: QuerySet) -> QuerySet:
    """People (`queryset` of users) an officer may name, e.g. as exam candidates: GACC officers
    everyone; other officers the staff of enterprises and the people of customs units in their
    district (the queryset form of `may_see_person`); nobody for anyone else."""
    if not is_customs_officer(user):
        return queryset.none()
    if is_gacc(user):
        return queryset
    units = units_visible_to(user).values("id")
    return queryset.filter(Q(enterprise__customs_unit__in=units) | Q(customs_unit__in=units))


def sittings_invigilated_by(user, queryset: QuerySet) -> QuerySet:
    """Exam sittings whose invigilator console (and answer-file uploads) a person runs: officers
    those of their district (`sittings_managed_by`); invigilators those at the training bases of
    their customs unit and the units under it (a GACC-level invigilator: all); nothing for anyone
    else, nor for an invigilator with no customs unit."""
    if is_customs_officer(user):
        return sittings_managed_by(user, queryset)
    if not (_authenticated(user) and user.has_role(Role.INVIGILATOR)) or user.customs_unit_id is None:
        return queryset.none()
    if user.customs_unit.level == CustomsUnit.Level.GACC:
        return queryset
    return queryset.filter(**{f"{SITTING_UNIT_PATH}__in": _subtree(user.customs_unit_id).values("id")})


def _holds_ticket_in_sittings_of(user, person) -> bool:
    """Whether `person` holds a valid ticket for a sitting `user` invigilates."""
    Sitting = apps.get_model("exams", "Sitting")
    sittings = sittings_invigilated_by(user, Sitting.objects.all())
    return sittings.filter(tickets__user_id=person.pk, tickets__revoked_at=None).exists()


def may_see_exam_ticket(user, ticket) -> bool:
    """A ticket's PDF card: its holder while it is valid, and whoever runs the sitting
    (`sittings_invigilated_by`: its invigilators at the door, the officers of its district)."""
    if not _authenticated(user):
        return False
    if ticket.user_id == user.pk:
        return ticket.revoked_at is None
    return sittings_invigilated_by(user, type(ticket.sitting).objects.filter(pk=ticket.sitting_id)).exists()


def may_see_exam_photo(user, person) -> bool:
    """A candidate's identity photo (personal information, PIPL): the person themself, and
    whoever confirms identities at check-in of a sitting where the person holds a valid ticket
    (its invigilators, the officers of its district)."""
    if not _authenticated(user) or person is None:
        return False
    return person.pk == user.pk or (may_invigilate(user) and _holds_ticket_in_sittings_of(user, person))


def may_see_exam_reports(user) -> bool:
    """Results lists and item statistics of exams: customs officers."""
    return is_customs_officer(user)


def may_complete_from_answer_file(user) -> bool:
    """Invigilators (and officers) upload a candidate's encrypted answer file."""
    return may_invigilate(user)


# --- Districts ------------------------------------------------------------------------------


def _subtree(unit_id: int) -> QuerySet[CustomsUnit]:
    """A unit and the units under it (the tree has three levels: itself, its children and
    grandchildren)."""
    return CustomsUnit.objects.filter(Q(id=unit_id) | Q(parent_id=unit_id) | Q(parent__parent_id=unit_id))


def units_visible_to(user) -> QuerySet[CustomsUnit]:
    """Customs units whose enterprises, rounds and training bases an officer may see (and the
    only units offered in their forms)."""
    if not is_customs_officer(user):
        return CustomsUnit.objects.none()
    if is_gacc(user):
        return CustomsUnit.objects.all()
    return _subtree(user.customs_unit_id)


def in_district(user, queryset: QuerySet, unit_path: str) -> QuerySet:
    """`queryset` narrowed to rows whose customs unit (reached by `unit_path`, e.g.
    `"customs_unit"` or `"base__customs_unit"`) lies in the officer's district; nothing for
    anyone who is not an officer."""
    if not is_customs_officer(user):
        return queryset.none()
    if is_gacc(user):
        return queryset
    return queryset.filter(**{f"{unit_path}__in": units_visible_to(user).values("id")})


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    """Enterprises this user may see: officers by district, enterprise staff their own, others none."""
    if not _authenticated(user):
        return Enterprise.objects.none()
    if is_customs_officer(user):
        return in_district(user, Enterprise.objects.all(), "customs_unit")
    if user.enterprise_id is not None:
        return Enterprise.objects.filter(id=user.enterprise_id)
    return Enterprise.objects.none()


def can_see_enterprise(user, enterprise: Enterprise) -> bool:
    return enterprises_visible_to(user).filter(id=enterprise.id).exists()


def can_officiate(user, enterprise: Enterprise) -> bool:
    """A customs officer responsible for this enterprise (lifecycle, key-enterprise flag)."""
    return is_customs_officer(user) and enterprises_visible_to(user).filter(id=enterprise.id).exists()


def can_manage_enterprise(user, enterprise: Enterprise) -> bool:
    """A customs officer of the enterprise's district, or the enterprise's own administrator
    (legal representative or a delegated person): may act on behalf of the enterprise."""
    if not _authenticated(user):
        return False
    if is_customs_officer(user):
        return can_officiate(user, enterprise)
    return user.enterprise_id == enterprise.id and user.administers_enterprise


def may_see_person(user, person) -> bool:
    """The person themself, or a customs officer responsible for them: GACC officers everyone;
    other officers people of an enterprise or a customs unit in their district (certificates,
    training records)."""
    if not _authenticated(user) or person is None:
        return False
    if person.pk == user.pk:
        return True
    if not is_customs_officer(user):
        return False
    if is_gacc(user):
        return True
    if person.enterprise_id is not None:
        return enterprises_visible_to(user).filter(id=person.enterprise_id).exists()
    return person.customs_unit_id is not None and units_visible_to(user).filter(id=person.customs_unit_id).exists()


# --- Certificates (issue 11 point 7; the one certificate mechanism) ----------------------------


def may_manage_certificates(user) -> bool:
    """Who opens the back-office certificate list and may revoke: customs officers (for holders
    in their district) and lead trainers (for course completion certificates)."""
    return is_customs_officer(user) or is_lead_trainer(user)


def certificates_managed_by(user, queryset: QuerySet, *, course_kind: str = "course") -> QuerySet:
    """Certificates `user` may see and revoke in the back office: GACC officers all; other
    officers those whose holder is a person of their district (an enterprise or a customs unit
    in it, as `may_see_person`); lead trainers course certificates (`kind == course_kind`).
    Anyone else none: a certificate outside the scope is not found (404)."""
    if not may_manage_certificates(user):
        return queryset.none()
    if is_gacc(user):
        return queryset
    allowed = Q(pk__in=[])
    if is_customs_officer(user):
        units = units_visible_to(user).values("id")
        allowed |= Q(holder__enterprise__customs_unit__in=units) | Q(holder__customs_unit__in=units)
    if is_lead_trainer(user):
        allowed |= Q(kind=course_kind)
    return queryset.filter(allowed)


def rounds_visible_to(user) -> QuerySet[SelectionRound]:
    """Rounds an officer runs: those of a customs unit in their district."""
    return in_district(user, SelectionRound.objects.all(), "customs_unit")


def may_see_round(user, round_id: int | None) -> bool:
    return round_id is not None and rounds_visible_to(user).filter(id=round_id).exists()


# --- Training sessions, bookings, allocation -------------------------------------------------

SESSION_UNIT_PATH = "base__customs_unit"


def sessions_managed_by(user, queryset: QuerySet) -> QuerySet:
    """Training sessions whose register, roster, exports and QR codes this user keeps: officers
    those at a base of their district, trainers those they teach."""
    if is_customs_officer(user):
        return in_district(user, queryset, SESSION_UNIT_PATH)
    if is_trainer(user):
        return queryset.filter(trainers=user)
    return queryset.none()


def may_view_rosters(user) -> bool:
    return is_officer(user) or is_trainer(user)


def may_manage_session(user, session) -> bool:
    """Officers of the base's district, and trainers of this session, keep its register and see
    its roster."""
    if not _authenticated(user):
        return False
    return sessions_managed_by(user, type(session)._default_manager.filter(pk=session.pk)).exists()


def may_book(user) -> bool:
    return is_enterprise_staff(user)


def may_act_on_booking(user, booking) -> bool:
    """The trainee themself, or an officer responsible for the booking's enterprise or for the
    session's base (cancel, calendar file)."""
    if not _authenticated(user):
        return False
    if booking.user_id == user.pk:
        return True
    if not is_customs_officer(user):
        return False
    return enterprises_visible_to(user).filter(id=booking.enterprise_id).exists() or may_manage_session(
        user, booking.session
    )


def allocation_runs_visible_to(user, queryset: QuerySet) -> QuerySet:
    """Allocation runs of rounds in the officer's district (`round_id` is a plain integer)."""
    if not is_customs_officer(user):
        return queryset.none()
    if is_gacc(user):
        return queryset
    return queryset.filter(round_id__in=rounds_visible_to(user).values("id"))


# --- Feedback and outcomes (issue 17) ---------------------------------------------------------


def may_record_certification_outcome(user, enterprise: Enterprise) -> bool:
    """Officers of the enterprise's district (GACC everywhere) record its AEO certification
    application and result (issue 17, point 5)."""
    return can_officiate(user, enterprise)


def may_see_appraisal(user) -> bool:
    """The appraisal dashboard (issue 17, point 6) is for customs officers at every level; what
    it counts is `appraisal_unit_ids`."""
    return is_customs_officer(user)


def appraisal_unit_ids(user) -> list[int]:
    """Customs units whose figures an officer's appraisal dashboard adds up (seed 004: GACC
    appraises all; a regional customs its own unit and its local customs; a local customs itself)."""
    return list(units_visible_to(user).order_by("code").values_list("id", flat=True))


def appraisal_bases(user, queryset: QuerySet) -> QuerySet:
    """Training bases an officer's appraisal may be narrowed to: those of the customs units it
    adds up (`appraisal_unit_ids`): a Shenzhen officer is not offered Suzhou or Guangzhou."""
    return queryset.filter(customs_unit_id__in=appraisal_unit_ids(user))


def may_manage_experts(user) -> bool:
    """GACC and regional customs officers keep the expert roster (seed 004: regional customs
    manage trainers and experts); local customs officers do not."""
    if not is_customs_officer(user):
        return False
    return is_gacc(user) or (user.customs_unit is not None and user.customs_unit.level == CustomsUnit.Level.REGIONAL)


def experts_visible_to(user, queryset: QuerySet) -> QuerySet:
    """Experts an officer keeps: GACC all; a regional officer those of its district."""
    if not may_manage_experts(user):
        return queryset.none()
    return in_district(user, queryset, "customs_unit")


# --- Live observation sessions (issue 12) ---------------------------------------------------


def may_manage_live(user) -> bool:
    """Trainers and customs officers run live observation sessions: back office, Q&A answers,
    viewer counts and the attendance report (issue 12, points 1, 4 and 6)."""
    return is_trainer(user) or is_customs_officer(user)


def live_sessions_visible_to(user, queryset: QuerySet) -> QuerySet:
    """Published sessions for everybody signed in; every session for those who run them."""
    if may_manage_live(user):
        return queryset
    if not _authenticated(user):
        return queryset.none()
    return queryset.filter(is_published=True)


def may_register_live(user) -> bool:
    """Enterprise staff register (whether their cultivation allows it is a rule of the session)."""
    return is_enterprise_staff(user)


def may_watch_live(user, *, registered: bool) -> bool:
    """Issue 12, point 3: only registered viewers watch; those who run sessions may look in
    (their viewing is not attendance)."""
    return _authenticated(user) and (registered or may_manage_live(user))


def may_use_stream_token(user, token_user_id: int) -> bool:
    """A signed stream address serves only the viewer it was issued to (issue 12, point 3)."""
    return _authenticated(user) and user.pk == token_user_id


def live_registrations_visible_to(user, queryset: QuerySet) -> QuerySet:
    """Attendance rows a person may see: trainers every enterprise's (they run the session),
    officers those of enterprises in their district."""
    if is_trainer(user) and not is_customs_officer(user):
        return queryset
    return in_district(user, queryset, "enterprise__customs_unit")


# --- View decorators --------------------------------------------------------------------------


def officer_required(view):
    """Logged in (else to the login page) and a customs officer (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_customs_officer(request.user):
            raise PermissionDenied(_("This page is for customs officers."))
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view):
    """Logged in and member of an enterprise (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.enterprise_id is None:
            raise PermissionDenied(_("This page is for enterprise staff."))
        return view(request, *args, **kwargs)

    return wrapper


def require_officer(user: User) -> None:
    """Raise PermissionDenied unless `user` is a customs officer (services' guard)."""
    if not is_customs_officer(user):
        raise PermissionDenied(_("This page is for customs officers."))


# --- Scopes by model: one registry for admin views, choosers, bulk actions and form choices ----

_SCOPES: dict[type, object] = {}


def register_scope(model: type, scope) -> None:
    """Declare how `model` rows are narrowed for a user: `scope(user, queryset) -> queryset`.
    Apps on upper floors register their models here (in `AppConfig.ready`)."""
    _SCOPES[model] = scope


def scoped(model: type, user, queryset: QuerySet | None = None) -> QuerySet:
    """`model` rows `user` may see in the back office and in form choices (all of them when no
    scope is registered for the model: reference data such as credit levels)."""
    queryset = model._default_manager.all() if queryset is None else queryset
    scope = _SCOPES.get(model)
    return scope(user, queryset) if scope is not None else queryset


def district_scope(unit_path: str, *, trainers_read: bool = False):
    """A scope for `register_scope`: officers see rows of their district (by `unit_path`);
    trainers see every row when `trainers_read` (reference data they teach with)."""

    def scope(user, queryset: QuerySet) -> QuerySet:
        if is_customs_officer(user):
            return in_district(user, queryset, unit_path)
        if trainers_read and is_trainer(user):
            return queryset
        return queryset.none()

    return scope


def scope_form_choices(form, user) -> None:
    """Offer in every model-choice field of `form` only rows `user` may see (e.g. an officer's
    own customs units), so a posted id outside the district is refused as an invalid choice."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and queryset.model in _SCOPES:
            field.queryset = scoped(queryset.model, user, queryset)


register_scope(CustomsUnit, lambda user, qs: qs.filter(id__in=units_visible_to(user).values("id")))
register_scope(Enterprise, lambda user, qs: qs.filter(id__in=enterprises_visible_to(user).values("id")))
register_scope(SelectionRound, lambda user, qs: in_district(user, qs, "customs_unit"))


# --- Back office (Wagtail) ----------------------------------------------------------------------


class ScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions (add/change/delete/view) *and* the row scope: used by Wagtail for
    instance checks (copy, delete, bulk actions, action menus) and listings."""

    def user_has_permission_for_instance(self, user, action, instance):
        return super().user_has_permission_for_instance(user, action, instance) and self._in_scope(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return super().user_has_any_permission_for_instance(user, actions, instance) and self._in_scope(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return scoped(self.model, user, super().instances_user_has_any_permission_for(user, actions))

    def _in_scope(self, user, instance) -> bool:
        return scoped(self.model, user).filter(pk=instance.pk).exists()


def _only_in_scope(model, view):
    """Wrap an admin view taking `pk`: a row outside the user's scope is not found (404)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None and not scoped(model, request.user).filter(pk=unquote(str(pk))).exists():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def scoped_form_class(form_class):
    """`form_class` whose model-choice fields offer only rows the form's `for_user` may see."""
    if form_class is None or getattr(form_class, "_district_scoped", False):
        return form_class

    def __init__(self, *args, **kwargs):
        form_class.__init__(self, *args, **kwargs)
        scope_form_choices(self, getattr(self, "for_user", None))

    return type(form_class.__name__, (form_class,), {"__init__": __init__, "_district_scoped": True})


class _ScopedChooserMixin:
    def get_object_list(self):
        return scoped(self.model_class, self.request.user, super().get_object_list())

    def get_object(self, pk):
        return scoped(self.model_class, self.request.user).get(pk=pk)

    def get_objects(self, pks):
        return list(scoped(self.model_class, self.request.user).filter(pk__in=pks))

    def get_creation_form_class(self):
        return scoped_form_class(super().get_creation_form_class())


def _scoped_chooser_viewset_class(base):
    attrs = {}
    for name in ("choose_view_class", "choose_results_view_class", "chosen_view_class", "chosen_multiple_view_class"):
        view_class = getattr(base, name)
        attrs[name] = type(view_class.__name__, (_ScopedChooserMixin, view_class), {})
    create_class = base.create_view_class
    attrs["create_view_class"] = type(create_class.__name__, (_ScopedChooserMixin, create_class), {})
    return type(f"Scoped{base.__name__}", (base,), attrs)


class _ScopedIndexMixin:
    def get_base_queryset(self):
        return scoped(self.model, self.request.user, super().get_base_queryset())


class ScopedViewSetMixin:
    """Mix into a `ModelViewSet` or `SnippetViewSet`: listings, every view with a `pk` (edit,
    copy, delete, history, usage, inspect, revisions...), choosers, form choices and instance
    permissions all go through this module's scope for the model."""

    def get_queryset(self, request):
        base = getattr(super(), "get_queryset", lambda request: None)(request)
        return scoped(self.model, request.user, base)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_view_class = type(self.index_view_class.__name__, (_ScopedIndexMixin, self.index_view_class), {})

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            pattern.callback = _only_in_scope(self.model, pattern.callback)
        return patterns

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        if not issubclass(form_class, WagtailAdminModelForm):
            form_class = modelform_factory(
                self.model,
                form=WagtailAdminModelForm,
                formfield_callback=self.formfield_for_dbfield,
                fields=self.get_form_fields(),
                exclude=self.get_exclude_form_fields(),
            )
        return scoped_form_class(form_class)

    @cached_property
    def chooser_viewset(self):
        self.chooser_viewset_class = _scoped_chooser_viewset_class(self.chooser_viewset_class)
        return super().chooser_viewset


class PredicatePermissionPolicy(BasePermissionPolicy):
    """Back-office permissions decided by a predicate of this module (`may(user, action)`) and
    the model's registered scope, instead of Django model permissions: for records no role
    edits directly (certificates are revoked through a service, never edited)."""

    def __init__(self, model, may):
        super().__init__(model)
        self.may = may

    def user_has_permission(self, user, action):
        return bool(self.may(user, action))

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and scoped(self.model, user).filter(pk=instance.pk).exists()

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return scoped(self.model, user)


class GatedScopedPermissionPolicy(ScopedPermissionPolicy):
    """ScopedPermissionPolicy that also asks `may(user)` for every action (e.g. only GACC and
    regional officers keep the expert roster, whatever their group's model permissions)."""

    def __init__(self, model, *, may, **kwargs):
        super().__init__(model, **kwargs)
        self.may = may

    def user_has_permission(self, user, action):
        return self.may(user) and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return self.may(user) and super().user_has_any_permission(user, actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.may(user) and super().user_has_permission_for_instance(user, action, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.may(user) and super().user_has_any_permission_for_instance(user, actions, instance)


def register_scoped_policy(model, *, may=None) -> None:
    """Register the scope-aware permission policy for `model` (call in `wagtail_hooks`); with
    `may`, a predicate on the user every action must pass as well."""
    policy = ScopedPermissionPolicy(model) if may is None else GatedScopedPermissionPolicy(model, may=may)
    register_permission_policy(model, policy)


def scoped_bulk_action(view):
    """Guard for Wagtail's bulk-action URL: every chosen id must lie in the user's scope, and
    "select all" acts only on rows the user can see."""

    @wraps(view)
    def wrapper(request, app_label, model_name, action):
        from django.apps import apps

        try:
            model = apps.get_model(app_label, model_name)
        except LookupError as exc:
            raise Http404 from exc
        ids = [i for i in request.GET.getlist("id") if i != "all"]
        if "all" in request.GET.getlist("id") and model in _SCOPES and not is_gacc(request.user):
            raise Http404
        visible = set(map(str, scoped(model, request.user).filter(pk__in=_int_ids(ids)).values_list("pk", flat=True)))
        if any(str(i) not in visible for i in ids):
            raise Http404
        return view(request, app_label, model_name, action)

    return wrapper


def _int_ids(ids: list[str]) -> list[int]:
    return [int(i) for i in ids if i.isdigit() and len(i) < 19]


# Foreign keys that name who made or changed a row, not whom or which district the row is about.
_AUTHOR_FIELDS = frozenset({"owner", "uploaded_by_user", "created_by", "locked_by", "requested_by", "updated_by"})


def _belongs_to_someone(model, depth: int = 2, seen: tuple = ()) -> bool:
    """Does `model` reach a customs unit, an enterprise or a person through foreign keys (rows
    about a district or somebody, as opposed to reference data)?"""
    if model in (CustomsUnit, Enterprise) or model is apps.get_model(settings.AUTH_USER_MODEL):
        return True
    if depth == 0 or model in seen:
        return False
    for field in model._meta.get_fields():
        if (
            not (field.is_relation and field.concrete and (field.many_to_one or field.one_to_one))
            or field.name in _AUTHOR_FIELDS
        ):
            continue
        if _belongs_to_someone(field.related_model, depth - 1, (*seen, model)):
            return True
    return False


def log_entries_visible_to(user, queryset: QuerySet) -> QuerySet:
    """Wagtail's model log entries (the back office's site history) about objects `user` may see:
    rows of a scoped model only for objects in scope, rows of other models about a district or a
    person only for GACC officers; reference data for everyone who may read the log."""
    if is_gacc(user):
        return queryset
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast

    allowed, guarded = Q(), []
    for model in apps.get_models():
        if not (model in _SCOPES or _belongs_to_someone(model)):
            continue
        type_ids = {ContentType.objects.get_for_model(model, for_concrete_model=c).pk for c in (True, False)}
        guarded += type_ids
        if model in _SCOPES:
            ids = scoped(model, user).annotate(_log_id=Cast("pk", CharField())).values("_log_id")
            allowed |= Q(content_type_id__in=type_ids, object_id__in=ids)
    return queryset.filter(allowed | ~Q(content_type_id__in=guarded))


def scoped_site_history_view(**kwargs):
    """Wagtail's site history (and its CSV/XLSX download), narrowed by `log_entries_visible_to`."""
    from wagtail.admin.views.reports.audit_logging import LogEntriesView
    from wagtail.models import ModelLogEntry

    class ScopedLogEntriesView(LogEntriesView):
        def filter_queryset(self, queryset):
            # Narrowed before the filters are built: their choices (people, actions) come from it.
            if issubclass(queryset.model, ModelLogEntry):
                queryset = log_entries_visible_to(self.request.user, queryset)
            return super().filter_queryset(queryset)

    return ScopedLogEntriesView.as_view(**kwargs)


# --- Readiness report (issue 16) --------------------------------------------------------------


def readiness_enterprises_visible_to(user) -> QuerySet[Enterprise]:
    """Enterprises whose readiness report a user may read: their own; officers their district
    (GACC all). Others are not found (404)."""
    return enterprises_visible_to(user)


def rectification_tasks_visible_to(user, queryset: QuerySet) -> QuerySet:
    """Rectification tasks (整改) in the back office: the officers of the enterprise's district
    (GACC all); nobody else (enterprises work on theirs from the readiness report page). A scope
    for `register_scope`."""
    return district_scope("enterprise__customs_unit")(user, queryset)


def may_see_readiness_dashboard(user) -> bool:
    """The district readiness dashboard and its export are for customs officers."""
    return is_customs_officer(user)


def may_manage_rectifications(user, enterprise: Enterprise) -> bool:
    """Create rectification tasks: the enterprise's administrator or its district's officers."""
    return can_manage_enterprise(user, enterprise)


def may_update_rectification(user, task) -> bool:
    """Update a rectification task: its owner, the enterprise's administrator, its district's officers."""
    return _authenticated(user) and (
        (user.pk == task.owner_id and user.enterprise_id == task.enterprise_id)
        or can_manage_enterprise(user, task.enterprise)
    )


# --- Consultations with customs (issue 17, points 2 and 3) ------------------------------------
# Coordinators (seeds 001, 002) answer the consultations of the enterprises of their unit and the
# units under it; GACC coordinators every one, and they alone once a thread is handed to GACC.
# Enterprise staff read their own enterprise's consultations; anyone else finds none (404).


def is_coordinator(user) -> bool:
    """A customs coordinator attached to a customs unit (superusers count as GACC ones)."""
    if not _authenticated(user):
        return False
    return user.is_superuser or (user.customs_unit_id is not None and user.has_role(Role.COORDINATOR))


def is_gacc_coordinator(user) -> bool:
    if not is_coordinator(user):
        return False
    return user.is_superuser or (user.customs_unit is not None and user.customs_unit.level == CustomsUnit.Level.GACC)


def coordinator_units(user) -> QuerySet[CustomsUnit]:
    """Customs units whose consultations a coordinator answers."""
    if not is_coordinator(user):
        return CustomsUnit.objects.none()
    if is_gacc_coordinator(user):
        return CustomsUnit.objects.all()
    return _subtree(user.customs_unit_id)


def consultations_visible_to(user, queryset: QuerySet) -> QuerySet:
    """Consultations (`queryset` of `consultations.Consultation`) a person may read: enterprise
    staff their enterprise's, coordinators those of their units; nothing for anyone else."""
    if not _authenticated(user):
        return queryset.none()
    if is_coordinator(user):
        if is_gacc_coordinator(user):
            return queryset
        return queryset.filter(customs_unit__in=coordinator_units(user).values("id"))
    if user.enterprise_id is not None:
        return queryset.filter(enterprise_id=user.enterprise_id)
    return queryset.none()


def may_ask_consultation(user) -> bool:
    """Enterprise staff ask their customs district."""
    return is_enterprise_staff(user)


def consultation_districts_for(user) -> QuerySet[CustomsUnit]:
    """Where an enterprise person may send a question: the enterprise's own customs unit and the
    regional customs above it (GACC is reached by hand-over only)."""
    if not is_enterprise_staff(user):
        return CustomsUnit.objects.none()
    unit = user.enterprise.customs_unit
    ids = [unit.pk] + ([unit.parent_id] if unit.parent_id and unit.level == CustomsUnit.Level.LOCAL else [])
    # The enterprise's own unit first ("local" sorts before "regional").
    return CustomsUnit.objects.filter(id__in=ids).exclude(level=CustomsUnit.Level.GACC).order_by("level")


def is_consultation_enterprise(user, consultation) -> bool:
    """Staff of the enterprise that asked: they follow up and rate the answer."""
    return is_enterprise_staff(user) and user.enterprise_id == consultation.enterprise_id


def may_coordinate_consultation(user, consultation) -> bool:
    """A coordinator of the consultation's district replies, hands over, closes and publishes it;
    once it is with GACC, only GACC coordinators do."""
    if not is_coordinator(user):
        return False
    if is_gacc_coordinator(user):
        return True
    return not consultation.at_gacc and coordinator_units(user).filter(id=consultation.customs_unit_id).exists()


def may_hand_consultation_to(user, consultation) -> bool:
    """Whether `user` may take over `consultation` from another coordinator (same rule as acting)."""
    return may_coordinate_consultation(user, consultation)


# --- Surveys (issue 17, point 1) --------------------------------------------------------------


def may_answer_surveys(user) -> bool:
    """People who take part in training are asked for their view (menu entry "My surveys");
    each survey itself is found only through the person's own invitation."""
    return is_enterprise_staff(user) or is_validator_candidate(user)


def survey_invitations_of(user, queryset: QuerySet) -> QuerySet:
    """A person's own survey invitations, nobody else's: another enterprise's survey is not
    found (404)."""
    if not _authenticated(user):
        return queryset.none()
    return queryset.filter(user=user)


def may_see_survey_results(user) -> bool:
    """Survey results are for customs officers and trainers (scoped by `surveys_managed_by`)."""
    return is_customs_officer(user) or is_trainer(user)


def surveys_managed_by(user, queryset: QuerySet) -> QuerySet:
    """Surveys whose results a person reads and manages: GACC all; other officers those of events
    their district delivered (national events, courses and live observation, are GACC's); lead
    trainers all; trainers the surveys of events they taught. Registered as the scope of
    `surveys.Survey`."""
    if is_customs_officer(user):
        return in_district(user, queryset, "customs_unit")
    if is_lead_trainer(user):
        return queryset
    if is_trainer(user):
        return queryset.filter(trainers=user)
    return queryset.none()


# --- Personal information (privacy/) -----------------------------------------------------------


def may_manage_own_data(user) -> bool:
    """Anyone signed in may read the privacy page's personal part, download their own data and
    ask for its deletion (PIPL Art. 45, 47): it is always and only their own."""
    return _authenticated(user) and user.is_active


def deletion_requests_visible_to(user, queryset: QuerySet) -> QuerySet:
    """Deletion requests an officer handles: of people in enterprises of their district; GACC
    (and superusers) also those of people without an enterprise (officers, trainers)."""
    if not is_customs_officer(user):
        return queryset.none()
    if is_gacc(user):
        return queryset
    return in_district(user, queryset, "user__enterprise__customs_unit")


def may_handle_deletion_requests(user) -> bool:
    """Customs officers carry out or refuse deletion requests (in the back office)."""
    return is_customs_officer(user)
