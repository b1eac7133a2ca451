"""Pages of officers and invigilators beyond the console (issue 14 points 2, 6, 10): a sitting's
tickets (PDF cards, revoke and reissue), the encrypted answer-file upload, exam reports with
their Celery progress and XLSX download. Access is decided at the top of each view through
`exams.access` (rules in `trainees.access`)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms import exports, uploads
from trainees import access as person_access
from trainees.models import Consent

from . import access, rules
from .models import Attempt, CandidatePhoto, Exam, ExamReport, Sitting, Ticket
from .services import answer_files, photos, qualification, reports, sittings


def _int(value) -> int:
    """A posted id as a number (0, which matches nothing, for anything else)."""
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


@login_required
@require_GET
def ticket_pdf(request, ticket_id: int):
    ticket = (
        Ticket.objects.select_related("user", "sitting__exam", "sitting__session__base", "sitting__session__room")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None or not access.can_see_ticket(request.user, ticket):
        raise Http404
    response = HttpResponse(sittings.ticket_pdf_bytes(ticket), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="exam-ticket-{ticket.code}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def sitting_tickets(request, sitting_id: int):
    """Officers of the sitting's district: every ticket with its card; revoke and reissue."""
    if not access.can_release(request.user):
        raise PermissionDenied
    sitting = get_object_or_404(
        access.sittings_managed_by(
            request.user, Sitting.objects.select_related("exam", "session__base", "session__room")
        ),
        pk=sitting_id,
    )
    if request.method == "POST":
        ticket = get_object_or_404(Ticket, pk=_int(request.POST.get("ticket")), sitting=sitting)
        try:
            new = sittings.ticket_revoke(
                ticket=ticket,
                actor=request.user,
                reason=request.POST.get("reason", ""),
                reissue=request.POST.get("reissue") == "1",
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if new is not None:
                messages.success(request, _("Ticket revoked; new code %(code)s sent.") % {"code": new.code})
            else:
                messages.success(request, _("Ticket revoked."))
            return redirect("exams:sitting_tickets", sitting.pk)
    tickets = sitting.tickets.select_related("user").order_by("seat_number", "-created_at")
    return render(request, "exams/sitting_tickets.html", {"sitting": sitting, "tickets": tickets})


# ---------------------------------------------------------------- reports (point 10)


def _reported_exam(request, exam_id: int) -> Exam:
    if not access.can_see_reports(request.user):
        raise PermissionDenied
    return get_object_or_404(Exam, pk=exam_id)


@login_required
@require_http_methods(["GET", "POST"])
def exam_report(request, exam_id: int):
    """The latest report of an exam (results, Moodle's statistics, areas), a form to build a
    new one in the background, and its progress while it runs."""
    exam = _reported_exam(request, exam_id)
    if request.method == "POST":
        which = request.POST.get("which", "first")
        if which not in ExamReport.Which.values:
            messages.error(request, _("Choose which attempts to count."))
        else:
            reports.exam_report_request(exam=exam, user=request.user, which=which)
            messages.success(request, _("The report is being prepared."))
            return redirect("exams:report", exam.pk)
    report = exam.reports.first()
    running = report is not None and report.state in (ExamReport.State.PENDING, ExamReport.State.RUNNING)
    latest_done = (
        report if report and report.state == ExamReport.State.DONE else exam.reports.filter(state="done").first()
    )
    return render(
        request,
        "exams/report.html",
        {
            "exam": exam,
            "report": report,
            "running": running,
            "done": latest_done,
            "data": latest_done.data if latest_done else None,
            "which_choices": ExamReport.Which.choices,
        },
    )


@never_cache
@require_GET
def api_report_progress(request, report_id: int):
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Your session has ended; log in again.")}, status=401)
    if not access.can_see_reports(request.user):
        return JsonResponse({"error": _("You may not see exam reports.")}, status=403)
    report = ExamReport.objects.filter(pk=report_id).first()
    if report is None:
        return JsonResponse({"error": _("No such report.")}, status=404)
    return JsonResponse({"state": report.state, "percent": report.percent, "done": report.done, "total": report.total})


@login_required
@require_GET
def report_xlsx(request, report_id: int):
    if not access.can_see_reports(request.user):
        raise PermissionDenied
    report = get_object_or_404(ExamReport, pk=report_id, state=ExamReport.State.DONE)
    if not report.file:
        raise Http404
    response = FileResponse(report.file.open("rb"), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="exam-{report.exam_id}-report-{report.pk}.xlsx"'
    return response


# ---------------------------------------------------------------- encrypted answer file (point 6)


@login_required
@require_POST
def answer_file_upload(request, sitting_id: int):
    """An invigilator uploads a candidate's encrypted answer file to complete their attempt."""
    if not access.can_upload_answer_file(request.user):
        raise PermissionDenied
    sitting = get_object_or_404(access.sittings_invigilated_by(request.user, Sitting.objects.all()), pk=sitting_id)
    attempt = Attempt.objects.filter(pk=_int(request.POST.get("attempt")), sitting=sitting).first()
    upload = request.FILES.get("file")
    if attempt is None or upload is None:
        messages.error(request, _("Choose the candidate and their answer file."))
        return redirect("exams:console", sitting.pk)
    try:
        uploads.check_size(upload.size, settings.LMS_ANSWER_FILE_MAX_BYTES)
        result = answer_files.attempt_complete_from_file(
            attempt_id=attempt.pk, content=upload.read(), user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "Answer file applied: %(applied)s answers written, %(stale)s older ones ignored; the attempt is complete."
            )
            % {"applied": result.applied, "stale": result.stale},
        )
    return redirect("exams:console", sitting.pk)


# ---------------------------------------------------------------- identity photos (point 2)


@login_required
@require_http_methods(["GET", "POST"])
def photo_mine(request):
    """A candidate's own identity photo: upload with the PIPL consent, or delete it."""
    if request.method == "POST":
        if request.POST.get("delete"):
            photos.candidate_photo_delete(user=request.user)
            messages.success(request, _("Your photo is deleted."))
            return redirect("exams:photo")
        upload = request.FILES.get("photo")
        if upload is None:
            messages.error(request, _("Choose a photo."))
        else:
            try:
                uploads.check_size(upload.size, settings.LMS_EXAM_PHOTO_MAX_BYTES)
                photos.candidate_photo_save(
                    user=request.user, data=upload.read(), consent=bool(request.POST.get("consent"))
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Your photo is saved."))
                return redirect("exams:photo")
    photo = CandidatePhoto.objects.filter(user=request.user).first()
    consent = request.user.consents.filter(purpose=Consent.Purpose.EXAM_PHOTO, withdrawn_at=None).first()
    return render(request, "exams/photo.html", {"photo": photo, "consent": consent})


@never_cache
@login_required
@require_GET
def photo_of(request, user_id: int):
    """The photo itself, streamed to the person and to invigilators/officers; 404 to anyone else."""
    photo = CandidatePhoto.objects.select_related("user").filter(user_id=user_id).first()
    if photo is None or not access.can_see_photo(request.user, photo.user):
        raise Http404
    response = FileResponse(photo.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"
    return response


# ---------------------------------------------------------------- situational interview (point 9)


def _score(value: str):
    try:
        number = Decimal(value.strip())
    except (ArithmeticError, AttributeError):
        return None
    return int(number) if number == number.to_integral_value() else float(number)


@login_required
@require_http_methods(["GET", "POST"])
def interview_record(request, user_id: int):
    """An officer records a validator candidate's situational interview: the rubric's criteria,
    two interviewers' scores and comments, the date."""
    if not access.can_release(request.user):
        raise PermissionDenied
    candidate = get_object_or_404(get_user_model(), pk=user_id)
    if not person_access.may_see_person(request.user, candidate):
        raise Http404
    rubric = rules.DEFAULT_INTERVIEW_RUBRIC
    errors, values = [], request.POST
    if request.method == "POST":
        User = get_user_model()
        sheets = []
        for n in (1, 2):
            email = values.get(f"interviewer{n}", "").strip()
            who = User.objects.filter(email__iexact=email).first() if email else None
            if who is None or not (person_access.is_customs_officer(who) or person_access.is_trainer(who)):
                errors.append(_("Interviewer %(n)s: give the e-mail of a customs officer or trainer.") % {"n": n})
                continue
            scores = {name: _score(values.get(f"s{n}-{i}", "")) for i, name in enumerate(rubric)}
            sheets.append((who, scores, values.get(f"comment{n}", "").strip()[:2000]))
        try:
            held_on = datetime.date.fromisoformat(values.get("held_on", ""))
        except ValueError:
            errors.append(_("Give the date of the interview."))
            held_on = None
        if not errors:
            try:
                qualification.interview_record(
                    candidate=candidate, held_on=held_on, rubric=rubric, sheets=sheets, recorded_by=request.user
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, _("Situational interview recorded."))
                return redirect("exams:qualification_of", candidate.pk)
    criteria = [
        {"index": i, "name": name, "max": top, "s1": values.get(f"s1-{i}", ""), "s2": values.get(f"s2-{i}", "")}
        for i, (name, top) in enumerate(rubric.items())
    ]
    return render(
        request,
        "exams/interview_form.html",
        {"candidate": candidate, "criteria": criteria, "errors": errors, "values": values},
    )
