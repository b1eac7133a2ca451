"""Pages of consultations with customs: the enterprise's list, question form and thread; the
coordinators' desk, thread actions and publishing as an FAQ entry. Thin: access decided at the
top through `trainees.access` (a consultation outside a person's reach is not found), rules in
`rules.py`, use cases in `services.py`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trainees import access

from . import rules, selectors, services
from .forms import AskForm, CloseForm, DeskFilterForm, HandOverForm, MessageForm, PublishForm, RateForm
from .models import Consultation, ConsultationMessage


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _consultation(user, pk: int) -> Consultation:
    try:
        return selectors.consultation_get(user=user, pk=pk)
    except Consultation.DoesNotExist as exc:
        raise Http404 from exc


def _areas():
    return selectors.criteria_areas_in_force(today=timezone.localdate())


def _hand_over_form(consultation, user, data=None) -> HandOverForm:
    return HandOverForm(
        data,
        candidates=selectors.hand_over_candidates(consultation=consultation, exclude=user),
        gacc_allowed=not consultation.at_gacc,
    )


def _render_detail(request, consultation: Consultation, *, status: int = 200, **forms):
    user = request.user
    coordinates = access.may_coordinate_consultation(user, consultation)
    enterprise_side = access.is_consultation_enterprise(user, consultation)
    state = consultation.state()
    now = timezone.now()
    context = {
        "consultation": consultation,
        "thread": selectors.thread(consultation=consultation),
        "overdue": rules.is_overdue(status=consultation.status, due=consultation.due_at, now=now),
        "coordinates": coordinates,
        "enterprise_side": enterprise_side,
        "is_coordinator": access.is_coordinator(user),
        "may_write": (coordinates or enterprise_side) and rules.refusal(rules.REPLY, state) is None,
        "may_rate": enterprise_side and rules.refusal(rules.RATE, state) is None,
        "may_publish": coordinates and rules.refusal(rules.PUBLISH, state) is None,
        "may_close": coordinates and rules.refusal(rules.CLOSE, state) is None,
        "message_form": forms.get("message_form") or MessageForm(),
        "rate_form": forms.get("rate_form") or RateForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "history": selectors.history(consultation=consultation) if coordinates else [],
    }
    if coordinates and rules.refusal(rules.HAND_OVER, state) is None:
        context["hand_over_form"] = forms.get("hand_over_form") or _hand_over_form(consultation, user)
    return render(request, "consultations/detail.html", context, status=status)


# --- Enterprise --------------------------------------------------------------------------------------


@login_required
def consultation_list(request):
    """The enterprise's consultations; coordinators are sent to their desk."""
    if access.is_coordinator(request.user):
        return redirect("consultations:desk")
    if not access.may_ask_consultation(request.user):
        raise PermissionDenied(_("This page is for enterprise staff."))
    rows = selectors.consultation_list(user=request.user)
    page = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "consultations/list.html", {"page": page, "now": timezone.now()})


@login_required
def ask(request):
    """Ask the customs district a question (GET: the form; POST: send it)."""
    if not access.may_ask_consultation(request.user):
        raise PermissionDenied(_("This page is for enterprise staff."))
    districts = access.consultation_districts_for(request.user)
    if request.method != "POST":
        form = AskForm(districts=districts, areas=_areas(), initial={"district": districts.first()})
        return render(request, "consultations/ask.html", {"form": form})
    posted = request.POST.get("district", "")
    if posted and not (posted.isdigit() and districts.filter(pk=int(posted)).exists()):
        raise Http404  # another district's desk is not found
    form = AskForm(request.POST, request.FILES, districts=districts, areas=_areas())
    if form.is_valid():
        data = form.cleaned_data
        try:
            consultation = services.consultation_ask(
                user=request.user,
                district=data["district"],
                topic=data["topic"],
                subject=data["subject"],
                body=data["body"],
                criteria_area=data["criteria_area"],
                upload=data["attachment"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your question has been sent to %(unit)s.") % {"unit": data["district"]})
            return redirect("consultations:detail", pk=consultation.pk)
    return render(request, "consultations/ask.html", {"form": form}, status=400)


@login_required
@require_POST
def rate(request, pk: int):
    consultation = _consultation(request.user, pk)
    if not access.is_consultation_enterprise(request.user, consultation):
        raise PermissionDenied(_("Only the enterprise that asked can rate the answer."))
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.consultation_rate(
                consultation_id=consultation.pk,
                user=request.user,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Thank you for rating the answer."))
            return redirect("consultations:detail", pk=pk)
    return _render_detail(request, _consultation(request.user, pk), status=400, rate_form=form)


# --- Both sides ------------------------------------------------------------------------------------------


@login_required
def detail(request, pk: int):
    """The thread: the enterprise that asked and the district's coordinators."""
    return _render_detail(request, _consultation(request.user, pk))


@login_required
@require_POST
def message(request, pk: int):
    """A coordinator's reply, or the enterprise's follow-up."""
    consultation = _consultation(request.user, pk)
    if access.may_coordinate_consultation(request.user, consultation):
        use_case = services.consultation_reply
    elif access.is_consultation_enterprise(request.user, consultation):
        use_case = services.consultation_follow_up
    else:
        raise PermissionDenied(_("Only a coordinator of this customs district can reply."))
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            use_case(
                consultation_id=consultation.pk,
                user=request.user,
                body=form.cleaned_data["body"],
                upload=form.cleaned_data["attachment"],
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect("consultations:detail", pk=pk)
    return _render_detail(request, _consultation(request.user, pk), status=400, message_form=form)


@login_required
def attachment(request, pk: int, message_id: int):
    """An attachment of the thread, streamed as a download to those who may read the thread."""
    consultation = _consultation(request.user, pk)
    item = get_object_or_404(ConsultationMessage, pk=message_id, consultation=consultation)
    if not item.attachment:
        raise Http404
    try:
        handle = item.attachment.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=item.attachment_name, content_type=item.attachment_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Coordinators -----------------------------------------------------------------------------------------


def _coordinated(request, pk: int) -> Consultation:
    consultation = _consultation(request.user, pk)
    if not access.may_coordinate_consultation(request.user, consultation):
        raise PermissionDenied(_("Only a coordinator of this customs district can do this."))
    return consultation


@login_required
def desk(request):
    """The coordinators' queue: consultations of their units, filtered (past the answer time,
    status, topic, assigned to me)."""
    if not access.is_coordinator(request.user):
        raise PermissionDenied(_("This page is for customs coordinators."))
    filters = DeskFilterForm(request.GET)
    data = filters.cleaned_data if filters.is_valid() else {}
    now = timezone.now()
    rows = selectors.consultation_list(
        user=request.user,
        status=data.get("status", ""),
        topic=data.get("topic", ""),
        overdue=bool(data.get("overdue")),
        mine=bool(data.get("mine")),
        now=now,
    )
    page = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    overdue_count = selectors.consultation_list(user=request.user, overdue=True, now=now).count()
    return render(
        request,
        "consultations/desk.html",
        {"page": page, "filters": filters, "now": now, "overdue_count": overdue_count},
    )


@login_required
@require_POST
def hand_over(request, pk: int):
    consultation = _coordinated(request, pk)
    form = _hand_over_form(consultation, request.user, request.POST)
    if form.is_valid():
        to = form.cleaned_data["to"]
        try:
            services.consultation_hand_over(
                consultation_id=consultation.pk,
                user=request.user,
                to_user_id=None if to == HandOverForm.GACC else int(to),
                to_gacc=to == HandOverForm.GACC,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("The consultation has been handed over."))
            if access.may_coordinate_consultation(request.user, _consultation(request.user, pk)):
                return redirect("consultations:detail", pk=pk)
            return redirect("consultations:desk")
    return _render_detail(request, _consultation(request.user, pk), status=400, hand_over_form=form)


@login_required
@require_POST
def close(request, pk: int):
    consultation = _coordinated(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.consultation_close(
                consultation_id=consultation.pk, user=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("The consultation has been closed."))
            return redirect("consultations:detail", pk=pk)
    return _render_detail(request, _consultation(request.user, pk), status=400, close_form=form)


@login_required
def publish(request, pk: int):
    """Publish an answered question in the FAQ: the text comes pre-filled with names, codes and
    phone numbers masked; the coordinator edits it, and nothing personal may remain."""
    consultation = _coordinated(request, pk)
    refusal = rules.refusal(rules.PUBLISH, consultation.state())
    if refusal:
        messages.error(request, refusal)
        return redirect("consultations:detail", pk=pk)
    if request.method != "POST":
        form = PublishForm(initial=services.publish_draft(consultation=consultation), areas=_areas())
        return render(request, "consultations/publish.html", {"consultation": consultation, "form": form})
    form = PublishForm(request.POST, areas=_areas())
    if form.is_valid():
        data = form.cleaned_data
        try:
            page = services.consultation_publish(
                consultation_id=consultation.pk,
                user=request.user,
                title=data["title"],
                question=data["question"],
                answer=data["answer"],
                criteria_areas=data["criteria_areas"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Published in the FAQ."))
            url = page.get_url(request)
            return redirect(url) if url else redirect("consultations:detail", pk=pk)
    return render(request, "consultations/publish.html", {"consultation": consultation, "form": form}, status=400)
