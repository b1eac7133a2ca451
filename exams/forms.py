"""Back-office forms of exams and sittings (issue 14 points 1-2). The rules themselves are in
`rules.py` (`exam_problems` through `Exam.clean`, `sitting_problems`); these forms parse what
an officer typed and show the rules' messages on the fields they concern."""

from __future__ import annotations

from django import forms
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateTimeInput

from lms.net import validate_networks

from . import rules
from .models import Exam, ExamBlueprint, QuestionBank, Sitting


class ReviewOptionsWidget(forms.Widget):
    """A grid of check boxes: one row per review item, one column per phase."""

    template_name = "exams/admin/review_options_widget.html"

    def value_from_datadict(self, data, files, name):
        if not any(f"{name}-{phase}" in data for phase in rules.REVIEW_PHASES) and f"{name}-sent" not in data:
            return None
        return {phase: data.getlist(f"{name}-{phase}") for phase in rules.REVIEW_PHASES}

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-sent" not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        value = value if isinstance(value, dict) else {}
        context["phases"] = [(phase, rules.REVIEW_PHASE_LABELS[phase]) for phase in rules.REVIEW_PHASES]
        context["rows"] = [
            {
                "item": item,
                "label": rules.REVIEW_ITEM_LABELS[item],
                "cells": [(phase, item in (value.get(phase) or ())) for phase in rules.REVIEW_PHASES],
            }
            for item in rules.REVIEW_ITEMS
        ]
        return context


class ReviewOptionsField(forms.Field):
    """What a candidate may see of their attempt, and when (Moodle's review options): a mapping
    phase → list of items."""

    widget = ReviewOptionsWidget

    def to_python(self, value):
        if value in (None, ""):
            return {phase: [] for phase in rules.REVIEW_PHASES}
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Unknown review options."))
        cleaned = {}
        for phase in rules.REVIEW_PHASES:
            items = value.get(phase) or []
            if not isinstance(items, list) or not set(items) <= set(rules.REVIEW_ITEMS):
                raise forms.ValidationError(_("Unknown review options."))
            cleaned[phase] = [item for item in rules.REVIEW_ITEMS if item in items]
        return cleaned

    def prepare_value(self, value):
        if isinstance(value, str):
            import json

            try:
                return json.loads(value)
            except ValueError:
                return {}
        return value


class BlueprintChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, blueprint):
        audience = QuestionBank.Audience(blueprint.bank.audience).label
        return _("%(name)s (%(audience)s, %(questions)s questions, %(points)s points)") % {
            "name": blueprint.name,
            "audience": audience,
            "questions": blueprint.question_total or 0,
            "points": rules.points_text(blueprint.point_total),
        }


HOW_TAKEN = [
    ("0", _("In sittings at the training bases (ticket and check-in)")),
    ("1", _("Online, inside the exam's window (no ticket)")),
]


class ExamForm(WagtailAdminModelForm):
    """Create and edit an exam: every setting of issue 14 point 1 (per-candidate extra time has
    its own page, reached from the exam list)."""

    blueprint = BlueprintChoiceField(
        label=_("blueprint"),
        queryset=ExamBlueprint.objects.none(),
        help_text=_("The blueprint decides the questions of every paper; its bank must be for the exam's audience."),
    )
    online = forms.TypedChoiceField(
        label=_("How the exam is taken"),
        choices=HOW_TAKEN,
        coerce=lambda value: value in (True, "1", "True", "true"),
        widget=forms.RadioSelect,
        initial="0",
    )
    review_options = ReviewOptionsField(
        label=_("review options"),
        required=False,
        help_text=_(
            "What a candidate may see of their attempt, and when. Correctness, the key, feedback and the score "
            "are never shown before the results are released."
        ),
    )

    class Meta:
        model = Exam
        fields = [
            "title_zh",
            "title_en",
            "audience",
            "blueprint",
            "duration_minutes",
            "pass_mark",
            "attempts_allowed",
            "retake_wait_hours",
            "opens_at",
            "closes_at",
            "online",
            "review_options",
        ]
        help_texts = {
            "pass_mark": _("A percentage of the paper's total points, above 0 and at most 100."),
            "attempts_allowed": _("0: as many attempts as the candidate wants."),
            "retake_wait_hours": _("Hours between the end of one attempt and the start of the next."),
            "opens_at": _("Asia/Shanghai time. Candidates may start an attempt from then on."),
            "closes_at": _("Asia/Shanghai time. No attempt starts after it; attempts still open end at it."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["blueprint"].queryset = (
            ExamBlueprint.objects.select_related("bank")
            .annotate(question_total=Sum("cells__count"), point_total=Sum(F("cells__count") * F("cells__points")))
            .order_by("name")
        )
        if self.instance.pk:
            self.initial["online"] = "1" if self.instance.online else "0"
        for name in ("duration_minutes", "attempts_allowed", "retake_wait_hours"):
            self.fields[name].widget.attrs.setdefault("min", 0)


class SittingCreateForm(WagtailAdminModelForm):
    """Place an exam in a computer room of a base (the officer's district offers its rooms
    only), from a start to an end in Asia/Shanghai time, with the networks candidates may check
    in from. Saved through `sittings.sitting_create` (room overlap under a lock)."""

    room = forms.ModelChoiceField(
        label=_("computer room"),
        queryset=None,
        help_text=_("Computer rooms with numbered seats at the bases of your district."),
    )
    starts_at = forms.DateTimeField(label=_("starts at"), widget=AdminDateTimeInput, help_text=_("Asia/Shanghai time."))
    ends_at = forms.DateTimeField(label=_("ends at"), widget=AdminDateTimeInput, help_text=_("Asia/Shanghai time."))

    class Meta:
        model = Sitting
        fields = ["exam", "room", "starts_at", "ends_at", "allowed_networks"]
        help_texts = {
            "allowed_networks": _(
                "Address ranges of the exam room's network, one per line (e.g. 10.8.3.0/24). "
                "When set, candidates check in only from these addresses. Empty: from anywhere."
            )
        }

    def __init__(self, *args, **kwargs):
        from training_bases.models import Room

        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(kind=Room.Kind.COMPUTER_ROOM).select_related("base")
        # Exams still open (a closed one could not be sat), newest first.
        self.fields["exam"].queryset = Exam.objects.filter(
            Q(closes_at__isnull=True) | Q(closes_at__gt=timezone.now())
        ).order_by("-opens_at", "title_zh")
        self.fields["allowed_networks"].widget.attrs.update(rows=3, placeholder="10.8.3.0/24")

    def clean_allowed_networks(self):
        value = self.cleaned_data.get("allowed_networks", "")
        validate_networks(value)
        return value.strip()

    def clean(self):
        cleaned = super().clean()
        exam, starts_at, ends_at = cleaned.get("exam"), cleaned.get("starts_at"), cleaned.get("ends_at")
        if exam and starts_at and ends_at:
            for field, message in rules.sitting_problems(
                starts_at=starts_at,
                ends_at=ends_at,
                now=timezone.now(),
                duration_minutes=exam.duration_minutes,
                opens_at=exam.opens_at,
                closes_at=exam.closes_at,
            ):
                self.add_error(field, message)
        return cleaned


class SittingNetworksForm(WagtailAdminModelForm):
    """A sitting's place and time stay as created (they are its training session's); its
    allowed networks may change, e.g. when the room's network is renumbered."""

    class Meta:
        model = Sitting
        fields = ["allowed_networks"]
        help_texts = SittingCreateForm.Meta.help_texts

    def clean_allowed_networks(self):
        value = self.cleaned_data.get("allowed_networks", "")
        validate_networks(value)
        return value.strip()


class TicketBatchForm(forms.Form):
    """Who gets a ticket: people chosen from the exam's audience (for enterprise staff, the
    people of one enterprise), and/or a pasted list of e-mail addresses or mobile numbers."""

    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None, required=False)
    people = forms.ModelMultipleChoiceField(
        label=_("People"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    lines = forms.CharField(
        label=_("Or paste e-mail addresses or mobile numbers"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "zhang.san@example.com\n138 0013 8000"}),
        help_text=_("One per line. Lines naming nobody, or people outside the exam's audience, stop the batch."),
    )

    def __init__(self, *args, candidates, enterprises, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["enterprise"].empty_label = _("Choose an enterprise")
        if enterprise is not None:
            candidates = candidates.filter(enterprise=enterprise)
        self.fields["people"].queryset = candidates
        self.fields["people"].label_from_instance = _person_label

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("people") and not (cleaned.get("lines") or "").strip() and not self.errors:
            raise forms.ValidationError(_("Choose people or paste their e-mail addresses or mobile numbers."))
        return cleaned


def _person_label(user) -> str:
    name = user.get_full_name() or user.email
    return f"{name}（{user.enterprise.name_zh}）· {user.email}" if user.enterprise_id else f"{name} · {user.email}"


class ExtraTimeForm(forms.Form):
    """Extra minutes for one candidate of an exam (an accommodation)."""

    person = forms.CharField(
        label=_("Candidate's e-mail address or mobile number"),
        max_length=200,
    )
    minutes = forms.IntegerField(label=_("extra minutes"), min_value=1, max_value=600)
