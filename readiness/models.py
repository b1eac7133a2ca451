"""The customs criteria as versioned data (DOMAIN.md: "the criteria must be versioned data").

An edition is one level of one set of rules (e.g. GACC Bulletin 2026 No. 34, advanced certified
enterprises). Every assessment and report will name the edition it used; officers can correct the
wording in the back office because the public transcriptions carry known doubts."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.translation import TranslatedField

from . import rules


class CriteriaEdition(models.Model):
    class Level(models.TextChoices):
        ADVANCED = "advanced", _("Advanced certified enterprise")
        CERTIFIED = "certified", _("Certified enterprise")

    code = models.SlugField(_("code"), unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    legal_basis_zh = models.CharField(_("legal basis (Chinese)"), max_length=200)
    legal_basis_en = models.CharField(_("legal basis (English)"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    effective_from = models.DateField(_("in force from"))
    effective_until = models.DateField(_("in force until"), null=True, blank=True)
    notes_zh = models.TextField(_("notes on the source (Chinese)"), blank=True)
    notes_en = models.TextField(_("notes on the source (English)"), blank=True)

    # Pass rule as data (DOMAIN.md "Pass rules": configurable per edition).
    base_score = models.SmallIntegerField(_("base score"), default=100)
    score_basic = models.SmallIntegerField(_("points per 'basically meets'"), default=-1)
    score_fail = models.SmallIntegerField(_("points per 'does not meet'"), default=-2)
    bonus_cap = models.PositiveSmallIntegerField(
        _("bonus cap"), default=0, help_text=_("At most this many points from met bonus sub-items.")
    )
    veto_on_fail = models.BooleanField(_("any 'does not meet' fails"), default=True)
    max_basic_per_item = models.PositiveSmallIntegerField(
        _("most 'basically meets' per item"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    max_basic_per_item_areas = models.CharField(
        _("areas the per-item limit applies to"),
        max_length=200,
        blank=True,
        help_text=_("Area keys separated by commas; empty: every area."),
    )
    max_basic_total = models.PositiveSmallIntegerField(
        _("most 'basically meets' in total"), null=True, blank=True, default=3, help_text=_("Empty: no limit.")
    )
    min_score = models.SmallIntegerField(_("minimum score"), null=True, blank=True, help_text=_("Empty: no minimum."))
    # Financial checks as data (DOMAIN.md "Financial checks").
    financial_method = models.CharField(
        _("financial checks"),
        max_length=30,
        choices=[
            (rules.FinancialMethod.ASSET_LIABILITY.value, _("Asset-liability ratio in each year (2022)")),
            (rules.FinancialMethod.SOLVENCY_PROFITABILITY.value, _("Solvency, profitability and audit opinion (2026)")),
            (rules.FinancialMethod.NONE.value, _("None")),
        ],
        default=rules.FinancialMethod.NONE.value,
    )
    financial_years = models.PositiveSmallIntegerField(
        _("fiscal years checked"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("How many of the latest complete fiscal years the checks look at."),
    )
    asset_liability_max = models.DecimalField(
        _("asset-liability ratio at most (2022)"), max_digits=5, decimal_places=4, default=Decimal("0.95")
    )
    asset_liability_max_manufacturer = models.DecimalField(
        _("asset-liability ratio at most, manufacturers"), max_digits=5, decimal_places=4, default=Decimal("0.85")
    )
    asset_liability_max_other = models.DecimalField(
        _("asset-liability ratio at most, others"), max_digits=5, decimal_places=4, default=Decimal("0.75")
    )
    cash_ratio_min = models.DecimalField(
        _("cash ratio at least"), max_digits=6, decimal_places=4, default=Decimal("0.2")
    )
    cash_flow_to_liabilities_min = models.DecimalField(
        _("operating cash flow / total liabilities at least"), max_digits=6, decimal_places=4, default=Decimal("0.1")
    )
    current_ratio_min = models.DecimalField(
        _("current ratio at least"), max_digits=6, decimal_places=4, default=Decimal("1.0")
    )
    operating_margin_min = models.DecimalField(
        _("operating margin at least"), max_digits=6, decimal_places=4, default=Decimal("0.01")
    )
    gross_margin_min = models.DecimalField(
        _("gross margin at least"), max_digits=6, decimal_places=4, default=Decimal("0.01")
    )
    return_on_assets_min = models.DecimalField(
        _("return on assets at least"), max_digits=6, decimal_places=4, default=Decimal("0.01")
    )
    solvency_min_met = models.PositiveSmallIntegerField(_("solvency conditions to meet"), default=2)
    profitability_min_met = models.PositiveSmallIntegerField(_("profitability conditions to meet"), default=2)
    rules_note_zh = models.TextField(
        _("note on the pass rule and checks (Chinese)"),
        blank=True,
        help_text=_("Where the values come from and what is not confirmed; shown to officers and enterprises."),
    )
    rules_note_en = models.TextField(_("note on the pass rule and checks (English)"), blank=True)

    title = TranslatedField("title_zh", "title_en")
    legal_basis = TranslatedField("legal_basis_zh", "legal_basis_en")
    notes = TranslatedField("notes_zh", "notes_en")
    rules_note = TranslatedField("rules_note_zh", "rules_note_en")

    class Meta:
        ordering = ["-effective_from", "level"]
        verbose_name = _("criteria edition")
        verbose_name_plural = _("criteria editions")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """Sub-items judged by the figures must name a check this edition's method makes."""
        super().clean()
        if self.pk is None:
            return
        checks = rules.METHOD_GROUPS[rules.FinancialMethod(self.financial_method)]
        orphans = (
            Criterion.objects.filter(item__area__edition=self)
            .exclude(financial_check="")
            .exclude(financial_check__in=checks)
            .order_by("item__area__position", "sequence")
        )
        codes = "、".join(c.code or str(c.sequence) for c in orphans)
        if codes:
            raise ValidationError(
                {
                    "financial_method": _(
                        "Sub-items %(codes)s are judged by checks this method does not make: change their "
                        "'judged by the financial check' first."
                    )
                    % {"codes": codes}
                }
            )

    @property
    def pass_rule(self) -> rules.PassRule:
        areas = frozenset(key.strip() for key in self.max_basic_per_item_areas.split(",") if key.strip())
        return rules.PassRule(
            veto_on_fail=self.veto_on_fail,
            max_basic_per_item=self.max_basic_per_item,
            max_basic_total=self.max_basic_total,
            min_score=self.min_score,
            base_score=self.base_score,
            score_basic=self.score_basic,
            score_fail=self.score_fail,
            bonus_cap=self.bonus_cap,
            per_item_areas=areas,
        )

    @property
    def financial_rule(self) -> rules.FinancialRule:
        return rules.FinancialRule(
            method=rules.FinancialMethod(self.financial_method),
            years=self.financial_years,
            **{name: getattr(self, name) for name in FINANCIAL_THRESHOLDS},
        )


FINANCIAL_THRESHOLDS = (
    "asset_liability_max",
    "asset_liability_max_manufacturer",
    "asset_liability_max_other",
    "cash_ratio_min",
    "cash_flow_to_liabilities_min",
    "current_ratio_min",
    "operating_margin_min",
    "gross_margin_min",
    "return_on_assets_min",
    "solvency_min_met",
    "profitability_min_met",
)


class CriteriaArea(models.Model):
    """A group of items: internal control, financial status, compliance, trade security, bonus,
    or the specific criteria of a business type."""

    edition = models.ForeignKey(CriteriaEdition, on_delete=models.CASCADE, related_name="areas")
    key = models.SlugField(_("key"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(pgettext_lazy("ordering", "position"))

    name = TranslatedField("name_zh", "name_en")

    class Meta:
        ordering = ["edition", "position"]
        constraints = [models.UniqueConstraint(fields=["edition", "key"], name="unique_area_key_per_edition")]
        verbose_name = _("criteria area")
        verbose_name_plural = _("criteria areas")

    def __str__(self) -> str:
        return f"{self.edition.title} · {self.name}"


class CriteriaItem(models.Model):
    area = models.ForeignKey(CriteriaArea, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(pgettext_lazy("criterion", "number"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    business_type_key = models.SlugField(
        _("specific-criteria business type"),
        max_length=60,
        blank=True,
        help_text=_("For specific criteria: the business type they apply to (see the edition's mapping)."),
    )

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
    is_veto = models.BooleanField(
        _("veto sub-item"), default=False, help_text=_("Not meeting it fails the assessment.")
    )
    is_placeholder = models.BooleanField(
        _("wording not recovered"),
        default=False,
        help_text=_("The official wording was not found: edit it here, then clear this flag."),
    )
    financial_check = models.CharField(
        _("judged by the financial check"),
        max_length=30,
        blank=True,
        choices=[
            ("asset_liability", _("Asset-liability ratio")),
            ("solvency", _("Solvency")),
            ("profitability", _("Profitability")),
            ("audit_opinion", _("Audit opinion")),
        ],
        help_text=_("The figures judge this sub-item instead of the enterprise."),
    )
    guidance_zh = models.TextField(_("guidance (Chinese)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    evidence_zh = models.TextField(_("evidence expected (Chinese)"), blank=True)
    evidence_en = models.TextField(_("evidence expected (English)"), blank=True)

    text = TranslatedField("text_zh", "text_en")
    guidance = TranslatedField("guidance_zh", "guidance_en")
    evidence = TranslatedField("evidence_zh", "evidence_en")

    class Meta:
        ordering = ["item__area__position", "sequence"]
        constraints = [models.UniqueConstraint(fields=["item", "sequence"], name="unique_criterion_order_per_item")]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return f"{self.code or self.sequence} {self.text_zh[:40]}"

    def clean(self) -> None:
        """A sub-item judged by the figures names a check its edition's method makes."""
        super().clean()
        if not self.financial_check or self.item_id is None:
            return
        method = rules.FinancialMethod(self.item.area.edition.financial_method)
        if self.financial_check not in rules.METHOD_GROUPS[method]:
            raise ValidationError(
                {
                    "financial_check": _("The edition's financial checks (%(method)s) do not include this check.")
                    % {"method": self.item.area.edition.get_financial_method_display()}
                }
            )


class SpecificCriteriaMapping(models.Model):
    """Which specific-criteria business type an enterprise business type is judged against, per
    edition (2022: 11 types; 2026: 4 types)."""

    edition = models.ForeignKey(CriteriaEdition, on_delete=models.CASCADE, related_name="business_mappings")
    business_type = models.ForeignKey(
        "trainees.BusinessType", verbose_name=_("business type"), on_delete=models.CASCADE, related_name="+"
    )
    specific_key = models.SlugField(_("specific-criteria business type"), max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "business_type"], name="unique_business_mapping_per_edition")
        ]
        verbose_name = _("business type mapping")
        verbose_name_plural = _("business type mappings")

    def __str__(self) -> str:
        return f"{self.edition.title}: {self.business_type_id} → {self.specific_key}"


def evidence_storage():
    """Evidence files live outside the web root (S3-compatible storage when configured)."""
    return storages["evidence"]


def evidence_path(instance, filename: str) -> str:
    return f"evidence/{instance.assessment.enterprise_id}/{uuid.uuid4().hex}"


class SelfAssessment(models.Model):
    """An enterprise judging itself against one edition: the working draft; submitting freezes an
    `AssessmentVersion`."""

    enterprise = models.ForeignKey(
        "trainees.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="self_assessments"
    )
    edition = models.ForeignKey(
        CriteriaEdition, verbose_name=_("criteria edition"), on_delete=models.PROTECT, related_name="assessments"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enterprise", "edition"], name="one_assessment_per_edition")]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.edition.title}"


class Judgement(models.Model):
    """The draft judgement of one sub-item, with the position it is assigned to."""

    class Value(models.TextChoices):
        MEETS = rules.Judgement.MEETS.value, _("Meets")
        BASIC = rules.Judgement.BASIC.value, _("Basically meets")
        FAILS = rules.Judgement.FAILS.value, _("Does not meet")
        NOT_APPLICABLE = rules.Judgement.NOT_APPLICABLE.value, _("Not applicable")

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="judgements")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("judgement"), max_length=10, choices=Value.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    assigned_position = models.CharField(_("assigned to position"), max_length=30, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="one_judgement_per_sub_item"),
            models.CheckConstraint(
                condition=~models.Q(value="na") | ~models.Q(reason=""), name="not_applicable_needs_a_reason"
            ),
        ]
        verbose_name = _("judgement")
        verbose_name_plural = _("judgements")

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.criterion_id}: {self.value}"


class Evidence(models.Model):
    """A file backing a judgement: private to the enterprise and its district's officers."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="evidence")
    judgement = models.ForeignKey(Judgement, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), storage=evidence_storage, upload_to=evidence_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.name


class FinancialProfile(models.Model):
    """What the financial checks need to know about an enterprise besides its figures."""

    enterprise = models.OneToOneField(
        "trainees.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="financial_profile"
    )
    is_manufacturer = models.BooleanField(
        _("manufacturing enterprise (生产型企业)"),
        default=False,
        help_text=_("The 2026 asset-liability threshold is higher for manufacturing enterprises."),
    )

    class Meta:
        verbose_name = _("financial profile")
        verbose_name_plural = _("financial profiles")

    def __str__(self) -> str:
        return str(self.enterprise_id)


FIGURES = rules.FIGURES


class FinancialYear(models.Model):
    """One fiscal year of an enterprise's figures, in 万元 as customs forms use."""

    class AuditOpinion(models.TextChoices):
        UNQUALIFIED = rules.AuditOpinion.UNQUALIFIED.value, rules.AUDIT_OPINION_LABELS[rules.AuditOpinion.UNQUALIFIED]
        QUALIFIED = rules.AuditOpinion.QUALIFIED.value, rules.AUDIT_OPINION_LABELS[rules.AuditOpinion.QUALIFIED]
        ADVERSE = rules.AuditOpinion.ADVERSE.value, rules.AUDIT_OPINION_LABELS[rules.AuditOpinion.ADVERSE]
        DISCLAIMER = rules.AuditOpinion.DISCLAIMER.value, rules.AUDIT_OPINION_LABELS[rules.AuditOpinion.DISCLAIMER]

    enterprise = models.ForeignKey(
        "trainees.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="financial_years"
    )
    year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    total_assets = models.DecimalField(
        _("total assets (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    total_liabilities = models.DecimalField(
        _("total liabilities (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    cash = models.DecimalField(_("cash (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    current_assets = models.DecimalField(
        _("current assets (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    current_liabilities = models.DecimalField(
        _("current liabilities (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    operating_cash_flow = models.DecimalField(
        _("operating cash flow (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    revenue = models.DecimalField(_("revenue (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    operating_profit = models.DecimalField(
        _("operating profit (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    net_profit = models.DecimalField(_("net profit (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    gross_profit = models.DecimalField(
        _("gross profit (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    audit_opinion = models.CharField(_("audit opinion"), max_length=20, choices=AuditOpinion.choices, blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="one_financial_year_per_enterprise")]
        verbose_name = _("fiscal year figures")
        verbose_name_plural = _("fiscal year figures")

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"

    def as_rule_input(self) -> rules.FinancialYear:
        return rules.FinancialYear(
            self.year, **{name: getattr(self, name) for name in FIGURES}, audit_opinion=self.audit_opinion
        )


class AssessmentVersion(models.Model):
    """A submitted, frozen self-assessment: the wording judged, the judgements, the evidence list,
    the figures and the verdict, as they were. Later edits of the criteria never change it."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("submitted by")
    )
    outcome = models.CharField(_("verdict"), max_length=12)
    score = models.SmallIntegerField(_("score"))
    blocking = models.JSONField(_("blocking reasons"), default=list)
    financial = models.JSONField(_("financial check"), default=dict)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["assessment", "-number"]
        constraints = [models.UniqueConstraint(fields=["assessment", "number"], name="unique_version_number")]
        verbose_name = _("submitted self-assessment")
        verbose_name_plural = _("submitted self-assessments")

    def __str__(self) -> str:
        return f"{self.assessment} v{self.number}"


class RowInsertedJSONField(models.JSONField):
    """A JSON column that PostgreSQL bulk inserts as `VALUES` rows rather than Django's `UNNEST`
    arrays: quoting large JSON texts as array elements is done in Python by psycopg and cost
    about 15 ms per readiness report; as plain parameters it is done by libpq."""

    def get_placeholder(self, value, compiler, connection) -> str:
        return "%s"


class ReadinessRecord(models.Model):
    """One kept recomputation of an enterprise's readiness report (issue 16, point 2): the
    enterprise sees its readiness over time; the latest is what pages and dashboards show."""

    class Status(models.TextChoices):
        READY = rules.ReadinessStatus.READY.value, rules.READINESS_STATUS_LABELS[rules.ReadinessStatus.READY]
        NEARLY_READY = (
            rules.ReadinessStatus.NEARLY_READY.value,
            rules.READINESS_STATUS_LABELS[rules.ReadinessStatus.NEARLY_READY],
        )
        NOT_READY = (
            rules.ReadinessStatus.NOT_READY.value,
            rules.READINESS_STATUS_LABELS[rules.ReadinessStatus.NOT_READY],
        )

    enterprise = models.ForeignKey(
        "trainees.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="readiness_records"
    )
    computed_at = models.DateTimeField(_("computed at"), db_index=True)
    edition_code = models.CharField(_("criteria edition"), max_length=40)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1)
    components = models.JSONField(_("score by area"), default=dict)
    missing = models.JSONField(_("unmet requirements"), default=list)
    report = RowInsertedJSONField(_("report"), default=dict)
    is_latest = models.BooleanField(_("latest"), default=True)

    class Meta:
        ordering = ["enterprise", "-computed_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "computed_at"], name="readiness_record_history")]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"], condition=models.Q(is_latest=True), name="one_latest_readiness_record"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0) & models.Q(score__lte=100), name="readiness_score_0_100"
            ),
        ]
        verbose_name = _("readiness recomputation")
        verbose_name_plural = _("readiness recomputations")

    def __str__(self) -> str:
        return f"{self.enterprise_id} {timezone.localtime(self.computed_at):%Y-%m-%d %H:%M} {self.get_status_display()} {self.score}"


def rectification_evidence_path(instance, filename: str) -> str:
    return f"rectification/{instance.enterprise_id}/{uuid.uuid4().hex}"


class RectificationTask(models.Model):
    """整改: closing a sub-item judged below "meets", with an owner, a due date, evidence and a
    status (issue 16, point 1)."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("rectification status", "Open")
        IN_PROGRESS = "in_progress", pgettext_lazy("rectification status", "In progress")
        DONE = "done", pgettext_lazy("rectification status", "Done")

    enterprise = models.ForeignKey(
        "trainees.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="rectifications"
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("sub-item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rectifications",
    )
    code = models.CharField(_("sub-item number"), max_length=20, blank=True)
    title = models.CharField(_("what to rectify"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("rectification", "owner"),
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    evidence_note = models.TextField(_("evidence"), blank=True, max_length=2000)
    evidence_file = models.FileField(
        _("evidence file"), storage=evidence_storage, upload_to=rectification_evidence_path, blank=True, max_length=200
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(pgettext_lazy("rectification", "closed at"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="rectification_due")]
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def is_overdue(self, today) -> bool:
        return self.status != self.Status.DONE and self.due_date < today
