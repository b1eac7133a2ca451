"""The last resort of issue 14 point 6: when the network is gone for good, the attempt page
writes the candidate's answers to a file encrypted and authenticated with AES-256-GCM under a key
derived (HKDF-SHA256) from the exam's secret key and the attempt's id; an invigilator uploads it
to complete the attempt, with the same sequence rules as saves, audited.

File (JSON): {"format": FORMAT, "v": 1, "attempt": id, "iv": base64 (12 bytes), "data": base64}.
`data` decrypts, with the associated data `aad(attempt id)`, to JSON {"attempt": id, "answers":
[{"position": int, "response": ..., "seq": int}], "written_at": ISO str}. A file altered in any
byte, or written for another attempt (other key, other associated data), does not decrypt and
is refused; nothing changes."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import rules
from ..models import Answer, Attempt, Exam, QuestionVersion
from .attempts import State, _grade, db_now

FORMAT = "aeo-exam-answers"


def attempt_file_key(exam: Exam, attempt_id: int) -> bytes:
    """The 256-bit AES key of one attempt's answer file (given to that attempt's page only)."""
    secret = base64.urlsafe_b64decode(exam.answer_file_key.encode("ascii"))
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"{FORMAT}:v1:key:{attempt_id}".encode()).derive(
        secret
    )


def aad(attempt_id: int) -> bytes:
    """Associated data bound to the ciphertext: the format, version and attempt id."""
    return f"{FORMAT}:v1:{attempt_id}".encode()


def answer_file_encrypt(
    *, attempt: Attempt, answers: list[dict], written_at: str = "", iv: bytes | None = None
) -> bytes:
    """Write an answer file as the attempt page does (for tests and scripts)."""
    import os

    iv = iv or os.urandom(12)
    plain = json.dumps({"attempt": attempt.pk, "answers": answers, "written_at": written_at}).encode()
    data = AESGCM(attempt_file_key(attempt.exam, attempt.pk)).encrypt(iv, plain, aad(attempt.pk))
    return json.dumps(
        {
            "format": FORMAT,
            "v": 1,
            "attempt": attempt.pk,
            "iv": base64.b64encode(iv).decode(),
            "data": base64.b64encode(data).decode(),
        }
    ).encode()


@dataclass(frozen=True)
class FileResult:
    """`applied`: answers newer than the stored ones (written); `stale`: older or equal ones
    (ignored, as a replayed save is); `submitted`: the attempt was submitted by this upload;
    `regraded`: an attempt already submitted at its deadline was graded again."""

    applied: int
    stale: int
    submitted: bool
    regraded: bool


def _refuse(message) -> ValidationError:
    return ValidationError(message, code="answer_file")


def _decrypt(attempt: Attempt, content: bytes) -> list[dict]:
    try:
        outer = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _refuse(_("This is not an answer file of the exam page.")) from exc
    if not isinstance(outer, dict) or outer.get("format") != FORMAT or outer.get("v") != 1:
        raise _refuse(_("This is not an answer file of the exam page."))
    if outer.get("attempt") != attempt.pk:
        raise _refuse(_("This answer file belongs to another attempt."))
    try:
        iv = base64.b64decode(outer.get("iv", ""), validate=True)
        data = base64.b64decode(outer.get("data", ""), validate=True)
        plain = AESGCM(attempt_file_key(attempt.exam, attempt.pk)).decrypt(iv, data, aad(attempt.pk))
        inner = json.loads(plain.decode("utf-8"))
    except (binascii.Error, ValueError, InvalidTag, TypeError, UnicodeDecodeError) as exc:
        raise _refuse(_("The answer file was altered or was not written for this attempt; it was refused.")) from exc
    answers = inner.get("answers") if isinstance(inner, dict) else None
    if inner.get("attempt") != attempt.pk or not isinstance(answers, list):
        raise _refuse(_("This answer file belongs to another attempt."))
    return answers


def _ungrade(attempt: Attempt) -> None:
    """Take an attempt's automatic scores back out of the versions' statistics before grading
    it again, so a version's counts never include one attempt twice (one UPDATE per version of
    the paper: a rare invigilator action)."""
    taken: dict[int, list] = {}
    for answer in attempt.answers.all():
        item = attempt.items[answer.position]
        if answer.fraction is not None and item["content"].get("qtype") != rules.ESSAY:
            entry = taken.setdefault(item["version_id"], [0, Decimal(0)])
            entry[0] += 1
            entry[1] += answer.fraction
    for version_id, (times, total) in taken.items():
        QuestionVersion.objects.filter(pk=version_id).update(
            times_answered=F("times_answered") - times, score_sum=F("score_sum") - total
        )


def attempt_complete_from_file(*, attempt_id: int, content: bytes, user) -> FileResult:
    """Apply an encrypted answer file to its attempt and complete the attempt: each answer is
    written only when its sequence number is higher than the stored one (as saves are), then
    the attempt is submitted at min(now, deadline) — or, when the beat job had already
    submitted it at its deadline and no answer is marked by hand yet and results are not
    released, graded again. Audited (with the file's SHA-256). Raises ValidationError with the
    reason (altered file, another attempt's file, an invalid answer, a finished attempt);
    nothing changes then."""
    if len(content) > settings.LMS_ANSWER_FILE_MAX_BYTES:
        raise _refuse(_("This is not an answer file of the exam page."))
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update(of=("self",)).select_related("exam").filter(pk=attempt_id).first()
        if attempt is None:
            raise _refuse(_("No such attempt."))
        answers = _decrypt(attempt, content)
        reopen = attempt.state != State.IN_PROGRESS
        if reopen and (
            attempt.state not in rules.FINISHED_STATES
            or attempt.finished_by == Attempt.FinishedBy.CANDIDATE
            or attempt.exam.results_released_at is not None
            or attempt.answers.filter(markings__isnull=False).exists()
        ):
            raise _refuse(_("This attempt is already finished; its answers can no longer change."))
        stored = {a.position: a for a in attempt.answers.all()}
        now = db_now()
        writes: dict[int, Answer] = {}
        stale = 0
        for entry in answers:
            if not isinstance(entry, dict):
                raise _refuse(_("The answer file holds an answer that is not valid."))
            position, seq, response = entry.get("position"), entry.get("seq"), entry.get("response")
            if not isinstance(position, int) or isinstance(position, bool) or not 0 <= position < len(attempt.items):
                raise _refuse(_("That question is not on your paper."))
            if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
                raise _refuse(_("The save has no valid sequence number."))
            problem = rules.response_error(attempt.items[position]["content"], response)
            if problem:
                raise _refuse(problem)
            current = writes.get(position) or stored.get(position)
            if current is not None and not rules.save_wins(current.seq, seq):
                stale += 1
                continue
            answer = current or Answer(attempt=attempt, position=position, saved_at=now)
            answer.response, answer.seq, answer.saved_at = response, seq, now
            writes[position] = answer
        if reopen:
            _ungrade(attempt)
        for answer in writes.values():
            answer.points = answer.fraction = None
            answer.needs_marking = False
            answer.save()
        submitted = False
        if reopen:
            _grade(attempt, now)
            attempt.save(update_fields=["score", "state", "passed"])
        elif attempt.state == State.IN_PROGRESS:
            deadline = rules.effective_deadline(attempt.deadline, paused_at=attempt.paused_at, now=now)
            attempt.submitted_at = rules.submitted_at(now=now, deadline=deadline)
            attempt.finished_by = Attempt.FinishedBy.INVIGILATOR
            attempt.paused_at = None
            _grade(attempt, now)
            attempt.save(update_fields=["submitted_at", "finished_by", "paused_at", "score", "state", "passed"])
            submitted = True
        log(
            attempt,
            "exams.answer_file",
            user=user,
            data={
                "applied": len(writes),
                "stale": stale,
                "regraded": reopen,
                "sha256": hashlib.sha256(content).hexdigest(),
            },
        )
    return FileResult(applied=len(writes), stale=stale, submitted=submitted, regraded=reopen)
