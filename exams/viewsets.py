"""The exams back office (issue 14 points 1-3) in the Wagtail admin, in the "Exams" menu beside the
question banks: exams (list, create, edit, extra time) and sittings (list per exam and base,
create through `sittings.sitting_create`, tickets in batches, roster, cards, console).

Who may do what is `trainees.access`: `may_manage_exams` (officers, lead trainers) for exams,
`may_manage_sittings` and the scope `sittings_managed_by` (officers, bases of their district;
GACC all) for sittings. Every view taking a sitting's `pk` is wrapped by the scope
(`ScopedViewSetMixin`), so another district's sitting is not found (404)."""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import CreateView as SnippetCreateView
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import SnippetViewSet

from trainees import access as person_access
from trainees.access import ScopedViewSetMixin, scoped_form_class

from . import access, back_office_views, selectors
from .forms import ExamForm, SittingCreateForm, SittingNetworksForm
from .models import Exam, QuestionBank, Sitting
from .services import sittings


class LinksColumn(Column):
    """A cell of links; `links(instance, user)` gives (label, url) pairs the user may follow."""

    def __init__(self, name, label, links):
        super().__init__(name, label=label)
        self.links = links

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        pairs = self.links(instance, getattr(request, "user", None))
        context["value"] = format_html_join(" · ", '<a href="{}">{}</a>', ((url, label) for label, url in pairs))
        return context


def _local(value, fmt="%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(value).strftime(fmt) if value else "—"


# ---------------------------------------------------------------- exams

ONLINE = pgettext_lazy("how an exam is taken", "Online")
IN_SITTINGS = pgettext_lazy("how an exam is taken", "In sittings")


class ExamFilterSet(WagtailFilterSet):
    audience = django_filters.ChoiceFilter(label=_("audience"), choices=QuestionBank.Audience.choices)
    online = django_filters.ChoiceFilter(
        label=_("How the exam is taken"),
        choices=[("sittings", IN_SITTINGS), ("online", ONLINE)],
        method="filter_online",
    )
    window = django_filters.ChoiceFilter(
        label=_("Window"),
        choices=[("open", _("Open now")), ("upcoming", _("Not open yet")), ("closed", _("Closed"))],
        method="filter_window",
    )

    class Meta:
        model = Exam
        fields = ["audience"]

    def filter_online(self, queryset, name, value):
        return queryset.filter(online=value == "online")

    def filter_window(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(opens_at__gt=now)
        if value == "closed":
            return queryset.filter(closes_at__lte=now)
        return queryset.filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now)).filter(
            Q(closes_at__isnull=True) | Q(closes_at__gt=now)
        )


def _exam_links(exam, user):
    links = []
    if person_access.may_manage_sittings(user):
        links.append((_("Sittings"), reverse("wagtailsnippets_exams_sitting:list") + f"?exam={exam.pk}"))
        links.append((_("Extra time"), reverse("wagtailsnippets_exams_exam:extra_time", args=[exam.pk])))
    if access.can_release(user):
        links.append((_("Results and release"), reverse("exams:results", args=[exam.pk])))
    if access.can_see_reports(user):
        links.append((_("Report"), reverse("exams:report", args=[exam.pk])))
    return links


class _LinkButtons:
    """The list's "Go to" links as buttons of the edit page's header menu as well."""

    links = None

    @cached_property
    def header_more_buttons(self):
        extra = [
            Button(label, url=url, icon_name="arrow-right", priority=50 + i)
            for i, (label, url) in enumerate(type(self).links(self.object, self.request.user))
        ]
        return [*super().header_more_buttons, *extra]


class ExamEditView(_LinkButtons, SnippetEditView):
    links = staticmethod(_exam_links)


class ExamViewSet(SnippetViewSet):
    model = Exam
    icon = "form"
    menu_label = _("Exams")
    menu_order = 1
    copy_view_enabled = False
    edit_view_class = ExamEditView
    list_display = [
        TitleColumn("title_zh", label=_("title"), url_name="wagtailsnippets_exams_exam:edit"),
        "audience",
        Column("taken", label=_("How"), accessor=lambda e: ONLINE if e.online else IN_SITTINGS),
        Column(
            "window",
            label=_("Window"),
            accessor=lambda e: f"{_local(e.opens_at)} – {_local(e.closes_at)}",
        ),
        Column("duration_minutes", label=_("Minutes")),
        Column("pass_mark", label=_("Pass mark (%)")),
        Column("sitting_count", label=_("Sittings")),
        LinksColumn("links", _("Go to"), _exam_links),
    ]
    filterset_class = ExamFilterSet
    search_fields = ["title_zh", "title_en"]
    search_backend_name = None  # plain database search on the titles
    ordering = ["-opens_at", "title_zh"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel([FieldPanel("title_zh"), FieldPanel("title_en")], heading=_("Title")),
            MultiFieldPanel(
                [FieldPanel("audience"), FieldPanel("blueprint"), FieldPanel("online")],
                heading=_("Candidates and questions"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("duration_minutes"),
                    FieldPanel("pass_mark"),
                    FieldPanel("attempts_allowed"),
                    FieldPanel("retake_wait_hours"),
                ],
                heading=_("Time, pass mark and attempts"),
            ),
            MultiFieldPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("Window")),
            FieldPanel("review_options"),
        ],
        base_form_class=ExamForm,
    )

    def get_queryset(self, request):
        return Exam.objects.annotate(sitting_count=Count("sittings"))

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("extra-time/<int:pk>/", back_office_views.exam_extra_time, name="extra_time"),
        ]


# ---------------------------------------------------------------- sittings


class SittingFilterSet(WagtailFilterSet):
    exam = django_filters.ModelChoiceFilter(label=_("exam"), queryset=Exam.objects.order_by("title_zh"))
    base = django_filters.ModelChoiceFilter(
        label=_("training base"), field_name="session__base", queryset=lambda request: _bases(request)
    )
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[("upcoming", _("Not ended yet")), ("past", _("Ended"))],
        method="filter_when",
    )

    class Meta:
        model = Sitting
        fields = ["exam"]

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        return (
            queryset.filter(session__ends_at__gt=now)
            if value == "upcoming"
            else queryset.filter(session__ends_at__lte=now)
        )


def _bases(request):
    from training_bases.models import TrainingBase

    if request is None:
        return TrainingBase.objects.none()
    return person_access.in_district(request.user, TrainingBase.objects.all(), "customs_unit")


def _sitting_links(sitting, user):
    return [
        (_("Issue tickets"), reverse("wagtailsnippets_exams_sitting:issue", args=[sitting.pk])),
        (_("Tickets"), reverse("exams:sitting_tickets", args=[sitting.pk])),
        (_("Invigilator console"), reverse("exams:console", args=[sitting.pk])),
        (_("Candidate roster (XLSX)"), reverse("wagtailsnippets_exams_sitting:roster", args=[sitting.pk])),
        (_("All ticket cards (PDF)"), reverse("wagtailsnippets_exams_sitting:cards", args=[sitting.pk])),
    ]


def _seats(sitting) -> str:
    return f"{sitting.seats_used} / {sitting.session.room.capacity}"


def _tickets(sitting) -> str:
    if sitting.tickets_revoked:
        return _("%(live)s (%(revoked)s revoked)") % {"live": sitting.seats_used, "revoked": sitting.tickets_revoked}
    return str(sitting.seats_used)


class SittingCreateView(SnippetCreateView):
    """Saves through `sittings.sitting_create`: the room-overlap rule (under a lock) and the
    networks check answer on the form, never with an error page."""

    def save_instance(self):
        data = self.form.cleaned_data
        return sittings.sitting_create(
            exam=data["exam"],
            room=data["room"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            allowed_networks=data.get("allowed_networks", ""),
            actor=self.request.user,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, messages in errors.items():
                form.add_error(field if field in form.fields else None, messages)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)

    def get_success_url(self):
        return reverse("wagtailsnippets_exams_sitting:issue", args=[self.object.pk])


class SittingEditView(_LinkButtons, SnippetEditView):
    links = staticmethod(_sitting_links)


class _SittingPages:
    """The sitting's own pages beside the viewset's (under ScopedViewSetMixin in the MRO, so
    they are wrapped by the scope like edit and history)."""

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("issue/<int:pk>/", back_office_views.sitting_issue, name="issue"),
            path("roster/<int:pk>/", back_office_views.sitting_roster, name="roster"),
            path("cards/<int:pk>/", back_office_views.sitting_cards, name="cards"),
        ]


class SittingViewSet(ScopedViewSetMixin, _SittingPages, SnippetViewSet):
    model = Sitting
    icon = "date"
    menu_label = _("Sittings")
    menu_order = 2
    copy_view_enabled = False
    add_view_class = SittingCreateView
    edit_view_class = SittingEditView
    list_display = [
        TitleColumn("exam", label=_("exam"), url_name="wagtailsnippets_exams_sitting:edit"),
        Column("base", label=_("training base"), accessor="session.base"),
        Column("room", label=_("computer room"), accessor="session.room.name_zh"),
        Column(
            "when",
            label=_("Time"),
            accessor=lambda s: f"{_local(s.session.starts_at)} – {_local(s.session.ends_at, '%H:%M')}",
            sort_key="session__starts_at",
        ),
        Column("seats", label=_("Seats used / seats"), accessor=_seats),
        Column("tickets", label=_("Tickets issued"), accessor=_tickets),
        Column("checked_in", label=_("Checked in")),
        LinksColumn("links", _("Go to"), _sitting_links),
    ]
    filterset_class = SittingFilterSet
    ordering = ["-session__starts_at"]
    # Editing changes only the allowed networks (the exam shown read-only); creation has every field.
    panels = [FieldPanel("exam", read_only=True), FieldPanel("allowed_networks")]
    create_panels = [
        FieldPanel("exam"),
        FieldPanel("room", heading=_("computer room")),
        FieldPanel("starts_at", heading=_("starts at")),
        FieldPanel("ends_at", heading=_("ends at")),
        FieldPanel("allowed_networks"),
    ]

    def get_add_view_kwargs(self, **kwargs):
        return {**super().get_add_view_kwargs(**kwargs), "panel": ObjectList(self.create_panels).bind_to_model(Sitting)}

    def get_queryset(self, request):
        return selectors.sittings_listed(super().get_queryset(request))

    def get_form_class(self, for_update=False):
        return scoped_form_class(SittingNetworksForm if for_update else SittingCreateForm)
