"""Back-office pages of the question bank (Wagtail admin): import with a preview, export,
question preview as a candidate sees it, blueprint check and draw preview. Each view decides
at its top who may use it (the model permissions trainers and officers hold)."""

import base64
import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from . import rules, services
from .models import ExamBlueprint, Question, QuestionBank, QuestionType, QuestionVersion

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


ACTIONS = {
    "new": pgettext_lazy("question import", "new"),
    "changed": pgettext_lazy("question import", "changed (new version)"),
    "unchanged": pgettext_lazy("question import", "unchanged"),
}


def _preview_rows(report) -> list[dict]:
    """The preview's rows with the type and the result in words, not codes."""
    return [
        {**row, "qtype_label": QuestionType(row["qtype"]).label, "action_label": ACTIONS[row["action"]]}
        for row in report.preview
    ]


def import_questions(request):
    """Step 1: upload and preview (nothing stored); the file is kept in the session with its
    digest, and any new upload replaces it. Step 2: confirm imports that file only when the
    confirmation carries the digest of the preview shown (two tabs, a stale page or a refused
    new preview can never import another file)."""
    _require(request, "exams.add_question")
    if request.method == "POST" and request.POST.get("confirm"):
        upload = request.session.pop(SESSION_KEY, None)
        if upload is None or request.POST.get("digest") != upload.get("digest"):
            messages.error(request, _("This preview is out of date: upload the file again to preview and import it."))
            return TemplateResponse(request, "exams/admin/import.html", {"form": ImportForm()})
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
    form = ImportForm(request.POST or None, request.FILES or None)
    report, digest = None, ""
    if request.method == "POST":
        request.session.pop(SESSION_KEY, None)
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
            digest = hashlib.sha256(data).hexdigest()
            request.session[SESSION_KEY] = {
                **options,
                "digest": digest,
                "data": base64.b64encode(data).decode("ascii"),
            }
    rows = _preview_rows(report) if report else []
    return TemplateResponse(
        request, "exams/admin/import.html", {"form": form, "report": report, "rows": rows, "digest": digest}
    )


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
