"""The customs criteria as versioned data (DOMAIN.md: "the criteria must be versioned data").

An edition is one level of one set of rules (e.g. GACC Bulletin 2026 No. 34, advanced certified
enterprises). Every assessment and report will name the edition it used; officers can correct the
wording in the back office because the public transcriptions carry known doubts."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.translation import TranslatedField


class CriteriaEdition(models.Model):
    class Level(models.TextChoices):
        ADVANCED = "advanced", _("Advanced certified enterprise")
        CERTIFIED = "certified", _("Certified enterprise")

    code = models.SlugField(_("code"), unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    effective_from = models.DateField(_("in force from"))
    effective_until = models.DateField(_("in force until"), null=True, blank=True)
    notes = models.TextField(_("notes on the source"), blank=True)

    title = TranslatedField("title_zh", "title_en")

    class Meta:
        ordering = ["-effective_from", "level"]
        verbose_name = _("criteria edition")
        verbose_name_plural = _("criteria editions")

    def __str__(self) -> str:
        return self.title


class CriteriaArea(models.Model):
    """A group of items: internal control, financial status, compliance, trade security, bonus,
    or the specific criteria of a business type."""

    edition = models.ForeignKey(CriteriaEdition, on_delete=models.CASCADE, related_name="areas")
    key = models.SlugField(_("key"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"))

    name = TranslatedField("name_zh", "name_en")

    class Meta:
        ordering = ["edition", "position"]
        constraints = [models.UniqueConstraint(fields=["edition", "key"], name="unique_area_key_per_edition")]
        verbose_name = _("criteria area")
        verbose_name_plural = _("criteria areas")

    def __str__(self) -> str:
        return f"{self.edition.code} · {self.name}"


class CriteriaItem(models.Model):
    area = models.ForeignKey(CriteriaArea, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("number"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    name = TranslatedField("name_zh", "name_en")

    class Meta:
        ordering = ["area", "number"]
        constraints = [models.UniqueConstraint(fields=["area", "number"], name="unique_item_number_per_area")]
        verbose_name = _("criteria item")
        verbose_name_plural = _("criteria items")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Criterion(models.Model):
    """A sub-item: the unit that is judged (meets / basically meets / does not meet / N/A)."""

    item = models.ForeignKey(CriteriaItem, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("official number"), max_length=10, blank=True)
    sequence = models.PositiveSmallIntegerField(_("order"))
    text_zh = models.TextField(_("wording (Chinese)"))
    text_en = models.TextField(_("wording (English)"), blank=True)
    is_bonus = models.BooleanField(_("bonus criterion"), default=False)

    text = TranslatedField("text_zh", "text_en")

    class Meta:
        ordering = ["item__area__position", "sequence"]
        constraints = [models.UniqueConstraint(fields=["item", "sequence"], name="unique_criterion_order_per_item")]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return f"{self.code or self.sequence} {self.text_zh[:40]}"
