"""Question banks for the computer exams of certified personnel and validator candidates
(seeds 001, 002: "field training, situational interview and computer exam"), with the question
types Moodle names (`multichoice`, `truefalse`, `shortanswer`, `essay`), immutable versions,
blueprints per criteria area and difficulty band, and recorded draws.

Criteria areas live in `readiness`, referenced lazily ("readiness.CriteriaArea"): this app never
imports readiness."""

import base64
import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SnapshotJSONField(models.JSONField):
    """A JSONField that bulk inserts row by row: on PostgreSQL, Django's UNNEST bulk insert makes
    psycopg quote every JSON document inside one array literal, which dominates the import of a
    5,000-question file (benchmarks/exams_qbank.py)."""

    def get_placeholder(self, value, compiler, connection):
        return "%s"


class QuestionBank(models.Model):
    class Audience(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise certified personnel")
        VALIDATOR = "validator", _("Validator candidates")

    name = models.CharField(_("name"), max_length=200, unique=True)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    criteria_edition = models.ForeignKey(
        "readiness.CriteriaEdition", verbose_name=_("criteria edition"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")

    def __str__(self) -> str:
        return self.name


class QuestionType(models.TextChoices):
    """Moodle's own type names, so imports and exports speak the same language."""

    MULTICHOICE = "multichoice", _("Multiple choice (single or several answers)")
    TRUEFALSE = "truefalse", _("True or false")
    SHORTANSWER = "shortanswer", _("Fill in (short answer)")
    ESSAY = "essay", _("Case analysis (essay, marked by hand)")


class TextFormat(models.TextChoices):
    """GIFT's `[html]` / `[moodle]` / `[markdown]` / `[plain]` and Moodle XML's `format`."""

    HTML = "html", "HTML"
    MOODLE = "moodle", "Moodle"
    MARKDOWN = "markdown", "Markdown"
    PLAIN = "plain", _("Plain text")


class MultipleScoring(models.TextChoices):
    PARTIAL = "partial", _("Partial credit by option weights")
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")


class Question(models.Model):
    """A question's identity and its current content. Every content change of a question that
    was active or already drawn is kept as a new `QuestionVersion`; attempts use versions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    bank = models.ForeignKey(QuestionBank, verbose_name=_("bank"), on_delete=models.CASCADE, related_name="questions")
    name = models.CharField(_("name"), max_length=255, help_text=_("Moodle's question name; unique in the bank."))
    idnumber = models.CharField(
        _("ID number"),
        max_length=100,
        blank=True,
        help_text=_("Moodle's question ID number; unique in the bank when given. Re-imports match on it first."),
    )
    category = models.CharField(
        _("category"),
        max_length=500,
        default="top",
        help_text=_("A path as in Moodle, e.g. top/内部控制/单证; a slash inside a category name is written //."),
    )
    criteria_area = models.ForeignKey(
        "readiness.CriteriaArea",
        verbose_name=_("criteria area"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    qtype = models.CharField(_("type"), max_length=12, choices=QuestionType.choices, default=QuestionType.MULTICHOICE)
    single = models.BooleanField(_("one answer only"), default=True, help_text=_("For multiple choice."))
    scoring = models.CharField(
        _("scoring of several answers"), max_length=16, choices=MultipleScoring.choices, default=MultipleScoring.PARTIAL
    )
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    stem = models.TextField(_("question text"))
    stem_format = models.CharField(_("text format"), max_length=10, choices=TextFormat.choices, default="html")
    options = SnapshotJSONField(
        _("options"),
        default=list,
        blank=True,
        help_text=_(
            'A list of {"text": ..., "fraction": percent of the mark (may be negative), "feedback": ...}. '
            "For true/false: two entries, true then false. For fill-in: the accepted answers."
        ),
    )
    general_feedback = models.TextField(_("general feedback (explanation)"), blank=True)
    rubric = models.TextField(_("marking rubric"), blank=True, help_text=_("For case analysis."))
    default_mark = models.DecimalField(_("default mark"), max_digits=6, decimal_places=2, default=1)
    difficulty = models.PositiveSmallIntegerField(_("difficulty (1-5)"), default=3)
    regulation_reference = models.CharField(_("regulation reference"), max_length=200, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["bank", "category", "name"]
        verbose_name = pgettext_lazy("exam question", "question")
        verbose_name_plural = pgettext_lazy("exam question", "questions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(difficulty__gte=1, difficulty__lte=5), name="question_difficulty_1_to_5"
            ),
            models.UniqueConstraint(fields=["bank", "name"], name="question_name_unique_in_bank"),
            models.UniqueConstraint(
                fields=["bank", "idnumber"], condition=~models.Q(idnumber=""), name="question_idnumber_unique_in_bank"
            ),
        ]
        indexes = [models.Index(fields=["bank", "status", "criteria_area", "difficulty"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from . import rules

        shape = {}
        if not isinstance(self.options, list) or not all(isinstance(option, dict) for option in self.options):
            shape["options"] = _("The options must be a list of answers, each with its text and fraction.")
        if not isinstance(self.tags, list) or not all(isinstance(tag, str) for tag in self.tags):
            shape["tags"] = _("The tags must be a list of words.")
        if shape:
            raise ValidationError(shape)
        errors = rules.question_errors(rules.QuestionContent.from_mapping(self.content()))
        if errors:
            raise ValidationError({"options": [str(error) for error in errors]})

    def content(self) -> dict:
        """The versioned content as plain data (what a version snapshot keeps)."""
        return self.content_of(self.__dict__)

    @staticmethod
    def content_of(row) -> dict:
        """`content()` of a question given as a mapping of its column values (a `.values()` row
        or the instance's `__dict__`), so exports of thousands need no model instances."""
        return {
            "name": row["name"],
            "category": row["category"],
            "criteria_area_id": row["criteria_area_id"],
            "qtype": row["qtype"],
            "single": row["single"],
            "scoring": row["scoring"],
            "shuffle_options": row["shuffle_options"],
            "stem": row["stem"],
            "stem_format": row["stem_format"],
            "options": row["options"],
            "general_feedback": row["general_feedback"],
            "rubric": row["rubric"],
            "default_mark": format(Decimal(row["default_mark"]).quantize(Decimal("0.01")), "f"),
            "difficulty": row["difficulty"],
            "regulation_reference": row["regulation_reference"],
            "tags": list(row["tags"] or []),
        }


class QuestionVersion(models.Model):
    """An immutable snapshot of a question's content. Attempts and draws point here (and copy
    `content`), so a later edit or import never changes what a candidate was shown.
    Statistics are kept per version."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = SnapshotJSONField(_("content"))
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    times_drawn = models.PositiveIntegerField(_("times drawn"), default=0)
    times_answered = models.PositiveIntegerField(_("times answered"), default=0)
    score_sum = models.DecimalField(_("sum of fractions scored"), max_digits=12, decimal_places=4, default=0)

    class Meta:
        ordering = ["question", "-number"]
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="question_version_unique")]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"


class DifficultyBand(models.TextChoices):
    """Bands for blueprints (issue 13): easy 1-2, medium 3, hard 4-5."""

    EASY = "easy", _("Easy (1-2)")
    MEDIUM = "medium", _("Medium (3)")
    HARD = "hard", _("Hard (4-5)")


class ExamBlueprint(models.Model):
    """How many questions of each criteria area and difficulty band a paper holds, and their points."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    bank = models.ForeignKey(QuestionBank, verbose_name=_("bank"), on_delete=models.PROTECT, related_name="blueprints")
    shuffle_options = models.BooleanField(_("shuffle options where the question allows it"), default=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("exam blueprint")
        verbose_name_plural = _("exam blueprints")

    def __str__(self) -> str:
        return self.name


class BlueprintCell(models.Model):
    blueprint = models.ForeignKey(ExamBlueprint, on_delete=models.CASCADE, related_name="cells")
    criteria_area = models.ForeignKey(
        "readiness.CriteriaArea", verbose_name=_("criteria area"), on_delete=models.PROTECT, related_name="+"
    )
    band = models.CharField(_("difficulty band"), max_length=10, choices=DifficultyBand.choices)
    count = models.PositiveSmallIntegerField(_("number of questions"))
    points = models.DecimalField(_("points per question"), max_digits=6, decimal_places=2, default=1)

    class Meta:
        ordering = ["blueprint", "criteria_area__position", "band"]
        verbose_name = _("blueprint cell")
        verbose_name_plural = _("blueprint cells")
        constraints = [
            models.UniqueConstraint(fields=["blueprint", "criteria_area", "band"], name="blueprint_cell_unique"),
            models.CheckConstraint(condition=models.Q(count__gte=1), name="blueprint_cell_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.criteria_area} / {self.get_band_display()}"


class DrawBatch(models.Model):
    """Papers drawn together from one blueprint with one seed: enough to reproduce them exactly."""

    blueprint = models.ForeignKey(ExamBlueprint, on_delete=models.PROTECT, related_name="draws")
    seed = models.BigIntegerField(_("seed"))
    size = models.PositiveIntegerField(_("number of papers"))
    pool = models.JSONField(_("blueprint, versions and usage counts the draw started from"), default=dict)
    created_at = models.DateTimeField(_("drawn"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("draw")
        verbose_name_plural = _("draws")

    def __str__(self) -> str:
        return f"{self.blueprint} #{self.pk}"


class DrawnPaper(models.Model):
    """One candidate's paper: the versions drawn, in order, with points and option order."""

    batch = models.ForeignKey(DrawBatch, on_delete=models.CASCADE, related_name="papers")
    index = models.PositiveIntegerField(_("paper number"))
    items = models.JSONField(pgettext_lazy("exam paper", "items"))

    class Meta:
        ordering = ["batch", "index"]
        verbose_name = _("drawn paper")
        verbose_name_plural = _("drawn papers")
        constraints = [models.UniqueConstraint(fields=["batch", "index"], name="drawn_paper_unique")]

    def __str__(self) -> str:
        return f"{self.batch} / {self.index}"


def default_review_options() -> dict:
    """Moodle-like defaults: own answers during and after; the rest only after the close."""
    return {
        "during": ["own_answers"],
        "after_submit": ["own_answers", "score"],
        "after_close": ["own_answers", "correctness", "key", "feedback", "score"],
    }


def new_answer_file_key() -> str:
    """A random 256-bit key (URL-safe base64) from which each attempt's answer-file key is derived."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


def private_storage():
    """Files only permission-checked views stream (photos, reports): the private storage."""
    return storages["evidence"]


class Exam(models.Model):
    """An exam (issue 14 point 1): taken in sittings at the bases, or online inside its window."""

    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    audience = models.CharField(_("audience"), max_length=20, choices=QuestionBank.Audience.choices)
    blueprint = models.ForeignKey(
        ExamBlueprint, verbose_name=_("blueprint"), on_delete=models.PROTECT, related_name="exams"
    )
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=90)
    pass_mark = models.DecimalField(_("pass mark (%)"), max_digits=5, decimal_places=2, default=60)
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts allowed (0 = unlimited)"), default=1)
    retake_wait_hours = models.PositiveIntegerField(_("waiting period before a retake (hours)"), default=0)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    online = models.BooleanField(_("may be taken online"), default=False)
    review_options = models.JSONField(_("review options"), default=default_review_options, blank=True)
    results_released_at = models.DateTimeField(_("results released"), null=True, blank=True)
    answer_file_key = models.CharField(max_length=64, default=new_answer_file_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "title_zh"]
        verbose_name = _("exam")
        verbose_name_plural = _("exams")

    def __str__(self) -> str:
        return self.title_zh

    def clean(self) -> None:
        """The exam rules of `rules.exam_problems`, as errors on the fields they concern."""
        from django.core.exceptions import ValidationError
        from django.db.models import F, Sum
        from django.utils import timezone

        from . import rules

        blueprint = self.blueprint if self.blueprint_id else None
        cells = (
            blueprint.cells.aggregate(n=models.Count("id"), points=Sum(F("count") * F("points"))) if blueprint else {}
        )
        stored = Exam.objects.filter(pk=self.pk).values("audience", "blueprint_id").first() if self.pk else None
        in_use = bool(self.pk) and (
            Ticket.objects.filter(sitting__exam_id=self.pk).exists() or Attempt.objects.filter(exam_id=self.pk).exists()
        )
        outside = []
        if self.pk and (self.opens_at or self.closes_at):
            late = models.Q(session__ends_at__gt=self.closes_at) if self.closes_at else models.Q(pk__in=[])
            early = models.Q(session__starts_at__lt=self.opens_at) if self.opens_at else models.Q(pk__in=[])
            for sitting in self.sittings.filter(late | early).select_related("session__room")[:5]:
                outside.append(f"{sitting.session.room} {timezone.localtime(sitting.session.starts_at):%Y-%m-%d %H:%M}")
        problems = rules.exam_problems(
            rules.ExamDraft(
                audience=self.audience,
                blueprint_audience=blueprint.bank.audience if blueprint else None,
                blueprint_cells=cells.get("n") or 0,
                blueprint_points=Decimal(cells.get("points") or 0),
                duration_minutes=self.duration_minutes,
                pass_mark=self.pass_mark,
                attempts_allowed=self.attempts_allowed,
                opens_at=self.opens_at,
                closes_at=self.closes_at,
                online=self.online,
                review_options=self.review_options,
                in_use=in_use,
                audience_or_blueprint_changed=stored is not None
                and (stored["audience"] != self.audience or stored["blueprint_id"] != self.blueprint_id),
                sittings_outside=outside,
            )
        )
        if problems:
            errors: dict[str, list[str]] = {}
            for field, message in problems:
                errors.setdefault(field, []).append(message)
            raise ValidationError(errors)


class ExtraTime(models.Model):
    """Per-candidate extra time of an exam (an accommodation), added to every attempt."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="extra_times")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    minutes = models.PositiveIntegerField(_("extra minutes"))

    class Meta:
        verbose_name = _("extra time")
        verbose_name_plural = _("extra times")
        constraints = [models.UniqueConstraint(fields=["exam", "user"], name="exam_extra_time_unique")]

    def __str__(self) -> str:
        return f"{self.user} +{self.minutes} min"


class Sitting(models.Model):
    """An exam in a computer room at a time, backed by a training session of that room so the
    room-overlap rules apply (issue 14 point 2)."""

    exam = models.ForeignKey(Exam, verbose_name=_("exam"), on_delete=models.PROTECT, related_name="sittings")
    session = models.OneToOneField(
        "training_bases.TrainingSession", verbose_name=_("training session"), on_delete=models.PROTECT
    )
    allowed_networks = models.TextField(
        _("allowed networks"), blank=True, help_text=_("CIDR ranges, one a line; empty: any address.")
    )

    class Meta:
        verbose_name = _("sitting")
        verbose_name_plural = _("sittings")

    def __str__(self) -> str:
        return f"{self.exam} @ {self.session}"


class Ticket(models.Model):
    """A candidate's place at a sitting: seat and check-in code (not a login)."""

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="tickets")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exam_tickets")
    seat_number = models.PositiveIntegerField(_("seat"))
    code = models.CharField(_("ticket code"), max_length=12)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    ics_sequence = models.PositiveIntegerField(default=0)
    paper = models.ForeignKey(
        "DrawnPaper",
        verbose_name=_("paper drawn in advance"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("exam ticket")
        verbose_name_plural = _("exam tickets")
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "seat_number"], condition=models.Q(revoked_at=None), name="ticket_seat_unique"
            ),
            models.UniqueConstraint(
                fields=["sitting", "user"], condition=models.Q(revoked_at=None), name="ticket_user_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sitting} / {self.seat_number}"


class Attempt(models.Model):
    """One candidate's attempt (issue 14 points 4-7). `items` copies each question version's
    content with its points and option order, so grading never depends on later edits."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", pgettext_lazy("exam attempt", "In progress")
        SUBMITTED = "submitted", pgettext_lazy("exam attempt", "Submitted")
        MARKING = "marking", _("Awaiting marking")
        GRADED = "graded", _("Graded")
        VOIDED = "voided", _("Voided")

    class FinishedBy(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        TIMEOUT = "timeout", _("Time ran out")
        INVIGILATOR = "invigilator", _("Invigilator")

    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exam_attempts")
    sitting = models.ForeignKey(Sitting, null=True, blank=True, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("attempt number"))
    paper = models.ForeignKey(DrawnPaper, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    items = models.JSONField(pgettext_lazy("exam question", "questions"), default=list)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.IN_PROGRESS)
    started_at = models.DateTimeField(_("started"))
    extra_seconds = models.PositiveIntegerField(_("extra time (s)"), default=0)
    paused_seconds = models.PositiveIntegerField(_("paused time (s)"), default=0)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    ends_at = models.DateTimeField(_("end of the sitting or window"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"))
    last_saved_at = models.DateTimeField(_("last save"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    finished_by = models.CharField(
        pgettext_lazy("exam attempt", "finished by"), max_length=12, choices=FinishedBy.choices, blank=True
    )
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=8, decimal_places=2, default=0)
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        ordering = ["exam", "user", "number"]
        verbose_name = _("exam attempt")
        verbose_name_plural = _("exam attempts")
        constraints = [
            models.UniqueConstraint(fields=["exam", "user", "number"], name="attempt_number_unique"),
            models.UniqueConstraint(
                fields=["exam", "user"], condition=models.Q(state="in_progress"), name="attempt_one_open"
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return f"{self.exam} / {self.user} #{self.number}"


class Answer(models.Model):
    """The latest saved response to one question of an attempt, with its sequence number, and
    its score once graded (marked by hand for case analysis)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField(_("question number"))
    response = models.JSONField(_("response"), null=True, blank=True)
    seq = models.PositiveIntegerField(_("sequence number"), default=0)
    saved_at = models.DateTimeField(_("saved"))
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True, blank=True)
    fraction = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    needs_marking = models.BooleanField(default=False)

    class Meta:
        ordering = ["attempt", "position"]
        verbose_name = pgettext_lazy("exam answer", "answer")
        verbose_name_plural = pgettext_lazy("exam answer", "answers")
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="answer_position_unique")]

    def __str__(self) -> str:
        return f"{self.attempt} Q{self.position + 1}"


class Marking(models.Model):
    """A trainer's marking of a case-analysis answer against the rubric; a re-mark by a second
    marker is another row (the latest counts)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="markings")
    marker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    rubric_scores = models.JSONField(_("rubric scores"), default=dict, blank=True)
    comment = models.TextField(pgettext_lazy("marking", "comments"), blank=True)
    remark = models.BooleanField(_("re-mark"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answer", "created_at"]
        verbose_name = _("marking")
        verbose_name_plural = _("markings")

    def __str__(self) -> str:
        return f"{self.answer} {self.points}"


class SituationalInterview(models.Model):
    """A validator candidate's structured situational interview (seed 001), recorded by an
    officer: a rubric of criteria with maximum scores, and one score sheet per interviewer."""

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="interviews"
    )
    held_on = models.DateField(_("held on"))
    rubric = models.JSONField(_("rubric"), help_text=_("Criterion → maximum score."))
    pass_mark = models.DecimalField(_("pass mark (%)"), max_digits=5, decimal_places=2, default=60)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("situational interview")
        verbose_name_plural = _("situational interviews")

    def __str__(self) -> str:
        return f"{self.candidate} {self.held_on}"


class InterviewScore(models.Model):
    interview = models.ForeignKey(SituationalInterview, on_delete=models.CASCADE, related_name="scores")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("interviewer"), on_delete=models.PROTECT, related_name="+"
    )
    scores = models.JSONField(_("scores"), help_text=_("Criterion → score."))
    comment = models.TextField(pgettext_lazy("marking", "comments"), blank=True)

    class Meta:
        verbose_name = _("interview score sheet")
        verbose_name_plural = _("interview score sheets")
        constraints = [
            models.UniqueConstraint(fields=["interview", "interviewer"], name="interview_score_one_per_interviewer")
        ]

    def __str__(self) -> str:
        return f"{self.interview} / {self.interviewer}"


class RemarkRequest(models.Model):
    """A candidate's request for a re-mark of the hand-marked answers of an attempt (issue 14
    point 7): a second marker re-marks each case-analysis answer; the request is then done."""

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for a second marker")
        DONE = "done", _("Re-marked")

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="remark_request")
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    done_at = models.DateTimeField(_("re-marked"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]
        verbose_name = _("re-mark request")
        verbose_name_plural = _("re-mark requests")

    def __str__(self) -> str:
        return f"{self.attempt} ({self.get_state_display()})"


def photo_path(instance, filename: str) -> str:
    return f"exams/photos/{instance.user_id}-{uuid.uuid4().hex}.jpg"


class CandidatePhoto(models.Model):
    """A candidate's identity photo, shown to the invigilator at check-in (issue 14 point 2).
    Personal information under the PIPL: stored only with the person's recorded consent (their
    `trainees.Consent` for EXAM_PHOTO, the one record of consents), in private storage, streamed by a permission-checked view, deleted by the person at any time."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_photo")
    photo = models.FileField(_("photo"), storage=private_storage, upload_to=photo_path, max_length=200)
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("candidate photo")
        verbose_name_plural = _("candidate photos")

    def __str__(self) -> str:
        return str(self.user)


def report_path(instance, filename: str) -> str:
    return f"exams/reports/{instance.exam_id}-{uuid.uuid4().hex}.xlsx"


class ExamReport(models.Model):
    """An exam's results and statistics (issue 14 point 10), computed in a Celery task with its
    progress recorded, kept as data for the page and as an XLSX file."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", pgettext_lazy("report generation", "Running")
        DONE = "done", pgettext_lazy("report generation", "Ready")
        FAILED = "failed", pgettext_lazy("report generation", "Failed")

    class Which(models.TextChoices):
        FIRST = "first", _("First attempts")
        LAST = "last", _("Last attempts")
        HIGHEST = "highest", _("Highest graded attempts")
        ALL = "all", _("All attempts")

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="reports")
    which = models.CharField(_("attempts counted"), max_length=8, choices=Which.choices, default=Which.FIRST)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict, blank=True)
    file = models.FileField(storage=private_storage, upload_to=report_path, blank=True, max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("exam report")
        verbose_name_plural = _("exam reports")

    def __str__(self) -> str:
        return f"{self.exam} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        """Progress 0-100."""
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
