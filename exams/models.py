"""Question banks for the computer exams of certified personnel and validator candidates
(seeds 001, 002: "field training, situational interview and computer exam"), with the question
types Moodle names (`multichoice`, `truefalse`, `shortanswer`, `essay`), immutable versions,
blueprints per criteria area and difficulty band, and recorded draws.

Criteria areas live in `readiness`, referenced lazily ("readiness.CriteriaArea"): this app never
imports readiness."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    category = models.CharField(
        _("category"), max_length=500, default="top", help_text=_("A path as in Moodle, e.g. top/内部控制/单证.")
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
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(difficulty__gte=1, difficulty__lte=5), name="question_difficulty_1_to_5"
            ),
            models.UniqueConstraint(fields=["bank", "name"], name="question_name_unique_in_bank"),
        ]
        indexes = [models.Index(fields=["bank", "status", "criteria_area", "difficulty"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from . import rules

        errors = rules.question_errors(rules.QuestionContent.from_mapping(self.content()))
        if errors:
            raise ValidationError({"options": [str(error) for error in errors]})

    def content(self) -> dict:
        """The versioned content as plain data (what a version snapshot keeps)."""
        return {
            "name": self.name,
            "category": self.category,
            "criteria_area_id": self.criteria_area_id,
            "qtype": self.qtype,
            "single": self.single,
            "scoring": self.scoring,
            "shuffle_options": self.shuffle_options,
            "stem": self.stem,
            "stem_format": self.stem_format,
            "options": self.options,
            "general_feedback": self.general_feedback,
            "rubric": self.rubric,
            "default_mark": format(Decimal(self.default_mark).quantize(Decimal("0.01")), "f"),
            "difficulty": self.difficulty,
            "regulation_reference": self.regulation_reference,
            "tags": list(self.tags or []),
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
    items = models.JSONField(_("items"))

    class Meta:
        ordering = ["batch", "index"]
        verbose_name = _("drawn paper")
        verbose_name_plural = _("drawn papers")
        constraints = [models.UniqueConstraint(fields=["batch", "index"], name="drawn_paper_unique")]

    def __str__(self) -> str:
        return f"{self.batch} / {self.index}"
