"""Question banks for the computer exams of certified personnel and validator candidates
(seeds 001, 002: "field training, situational interview and computer exam"). Blueprints,
sittings and attempts build on these."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionBank(models.Model):
    class Audience(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise certified personnel")
        VALIDATOR = "validator", _("Validator candidates")

    name = models.CharField(_("name"), max_length=200)
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


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="questions")
    criteria_area = models.ForeignKey(
        "readiness.CriteriaArea", verbose_name=_("criteria area"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    stem = models.TextField(_("question"))
    choices = models.JSONField(_("choices"), default=list, blank=True, help_text=_("One entry per option, in order."))
    answer = models.JSONField(_("answer key"), help_text=_("Indexes of the correct options, counted from 0."))
    explanation = models.TextField(_("explanation shown after results are released"), blank=True)
    difficulty = models.PositiveSmallIntegerField(_("difficulty (1-5)"), default=3)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["bank", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(difficulty__gte=1, difficulty__lte=5), name="question_difficulty_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return self.stem[:60]

    def clean(self) -> None:
        options = 2 if self.kind == self.Kind.TRUE_FALSE else len(self.choices or [])
        answer = self.answer if isinstance(self.answer, list) else []
        if self.kind != self.Kind.TRUE_FALSE and options < 2:
            raise ValidationError({"choices": _("Give at least two options.")})
        if not answer or any(not isinstance(i, int) or not 0 <= i < options for i in answer):
            raise ValidationError({"answer": _("The answer key must name existing options (counted from 0).")})
        if self.kind != self.Kind.MULTIPLE and len(answer) != 1:
            raise ValidationError({"answer": _("This kind of question has exactly one correct answer.")})
