"""Back-office pages of the question bank (Wagtail admin): import with a preview, export,
question preview as a candidate sees it, blueprint check and draw preview. Each view decides
at its top who may use it (the model permissions trainers and officers hold)."""

import base64

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import rules, services
from .models import ExamBlueprint, Question, QuestionBank, QuestionVersion

SESSION_KEY = "exams_import_upload"


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


class ImportForm(forms.Form):
    bank = forms.CharField(label=gettext_lazy("Bank name"), max_length=200)
    file = forms.FileField(label=gettext_lazy("GIFT or Moodle XML file"))
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("", gettext_lazy("Detect from the content")), ("gift", "GIFT"), ("xml", "Moodle XML")],
        required=False,
    )
    audience = forms.ChoiceField(label=gettext_lazy("Audience of a new bank"), choices=QuestionBank.Audience.choices)
    edition = forms.CharField(label=gettext_lazy("Criteria edition code"), initial=services.DEFAULT_EDITION)


def import_questions(request):
    """Step 1: upload and preview (nothing stored). Step 2: confirm the same file."""
    _require(request, "exams.add_question")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and request.POST.get("confirm") and SESSION_KEY in request.session:
        upload = request.session.pop(SESSION_KEY)
        report = services.bank_import(
            bank_name=upload["bank"],
            data=base64.b64decode(upload["data"]),
            fmt=upload["format"] or None,
            audience=upload["audience"],
            edition_code=upload["edition"],
            user=request.user,
        )
        form = ImportForm(initial=upload)
        return TemplateResponse(request, "exams/admin/import.html", {"form": form, "report": report, "done": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        options = {k: form.cleaned_data[k] for k in ("bank", "format", "audience", "edition")}
        report = services.bank_import(
            bank_name=options["bank"],
            data=data,
            fmt=options["format"] or None,
            audience=options["audience"],
            edition_code=options["edition"],
            dry_run=True,
            user=request.user,
        )
        if report.ok:
            request.session[SESSION_KEY] = {**options, "data": base64.b64encode(data).decode("ascii")}
    return TemplateResponse(request, "exams/admin/import.html", {"form": form, "report": report})


def export_questions(request, bank_id: int, fmt: str):
    _require(request, "exams.view_question")
    bank = get_object_or_404(QuestionBank, pk=bank_id)
    if fmt not in ("gift", "xml"):
        raise PermissionDenied
    text, _warnings = services.bank_export(bank=bank, fmt=fmt)
    extension = "txt" if fmt == "gift" else "xml"
    response = HttpResponse(text, content_type="text/plain; charset=utf-8" if fmt == "gift" else "application/xml")
    response["Content-Disposition"] = f'attachment; filename="bank-{bank.pk}.{extension}"'
    return response


def preview_question(request, question_id: int):
    """The question as a candidate sees it (no key), then the key for the trainer below."""
    _require(request, "exams.view_question")
    question = get_object_or_404(Question, pk=question_id)
    content = question.content()
    return TemplateResponse(
        request,
        "exams/admin/preview.html",
        {
            "question": question,
            "shown": rules.candidate_view(content),
            "versions": QuestionVersion.objects.filter(question=question).order_by("-number"),
        },
    )


class BulkForm(forms.Form):
    ids = forms.CharField(label=gettext_lazy("Question ids (comma separated)"))
    action = forms.ChoiceField(
        label=gettext_lazy("Action"), choices=[("retire", gettext_lazy("Retire")), ("move", gettext_lazy("Move"))]
    )
    category = forms.CharField(label=gettext_lazy("New category"), required=False)

    def clean_ids(self):
        try:
            return [int(part) for part in self.cleaned_data["ids"].replace("，", ",").split(",") if part.strip()]
        except ValueError as exc:
            raise ValidationError(_("Give question ids as numbers separated by commas.")) from exc


def bulk_questions(request):
    _require(request, "exams.change_question")
    form = BulkForm(request.POST or None, initial={"ids": request.GET.get("ids", "")})
    done = None
    if request.method == "POST" and form.is_valid():
        ids = form.cleaned_data["ids"]
        if form.cleaned_data["action"] == "retire":
            done = services.questions_retire(question_ids=ids, user=request.user)
        else:
            done = services.questions_move(question_ids=ids, category=form.cleaned_data["category"], user=request.user)
    return TemplateResponse(request, "exams/admin/bulk.html", {"form": form, "done": done})


def draw_preview(request, blueprint_id: int):
    """The blueprint checked against its bank and, when covered, one sample paper (not recorded)."""
    _require(request, "exams.view_examblueprint")
    blueprint = get_object_or_404(ExamBlueprint, pk=blueprint_id)
    shortages = services.blueprint_shortage_messages(blueprint=blueprint)
    paper = []
    if not shortages and blueprint.cells.exists():
        if not request.user.has_perm("exams.change_examblueprint"):
            raise PermissionDenied
        result = services.blueprint_draw(blueprint=blueprint, count=1, user=request.user, record=False)
        versions = QuestionVersion.objects.in_bulk([item.version_id for item in result.papers[0]])
        paper = [
            {"points": item.points, **rules.candidate_view(versions[item.version_id].content, item.option_order)}
            for item in result.papers[0]
        ]
    return TemplateResponse(
        request, "exams/admin/draw.html", {"blueprint": blueprint, "shortages": shortages, "paper": paper}
    )
