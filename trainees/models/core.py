from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.compiled import CompiledQuery
from lms.translation import TranslatedField

from ..fields import CodeField
from ..roles import BACK_OFFICE_ROLES, Role
from ..validators import validate_credit_code, validate_customs_code


def _group_names(user_id: int):
    from django.contrib.auth.models import Group

    return Group.objects.filter(user=user_id).values_list("name")


_GROUP_NAMES = CompiledQuery(_group_names)


class CustomsUnit(models.Model):
    """A customs office in the GACC → regional → local tree (seed 004: function and responsibility)."""

    class Level(models.TextChoices):
        GACC = "gacc", _("General Administration of Customs")
        REGIONAL = "regional", _("Regional customs")
        LOCAL = "local", _("Local customs")

    code = models.CharField(_("code"), max_length=8, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    name = TranslatedField("name_zh", "name_en")

    class Meta:
        ordering = ["code"]
        verbose_name = _("customs unit")
        verbose_name_plural = _("customs units")

    def __str__(self) -> str:
        return self.name


class TrainingType(models.TextChoices):
    """The two types of credit cultivation training (seed 004: types)."""

    COMPLIANCE = "compliance", _("Compliance training")
    AEO_CERTIFICATION = "aeo_certification", _("AEO certification training")


class CreditLevel(models.Model):
    """An enterprise credit level, kept as data because the scheme changes with the law: Decree 282
    (2026) has five levels; the three levels of Decree 251 (2021) map onto them (DOMAIN.md)."""

    class Scheme(models.TextChoices):
        DECREE_282 = "decree_282", _("Decree 282 (2026)")
        DECREE_251 = "decree_251", _("Decree 251 (2021)")

    code = models.CharField(_("code"), max_length=40, unique=True)
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices, default=Scheme.DECREE_282)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    maps_to = models.ForeignKey(
        "self",
        verbose_name=_("equivalent in the current scheme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="older_levels",
        help_text=_("For a level of an older scheme: the Decree 282 level it corresponds to."),
    )
    excludes_from_cultivation = models.BooleanField(
        _("excludes from cultivation"),
        default=False,
        help_text=_("Discredited and severely discredited enterprises cannot be selected and are terminated."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    name = TranslatedField("name_zh", "name_en")

    class Meta:
        ordering = ["scheme", "sort_order"]
        verbose_name = _("credit level")
        verbose_name_plural = _("credit levels")

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> "CreditLevel":
        """The level in the current scheme (itself when it already belongs to it)."""
        return self.maps_to or self


class BusinessType(models.Model):
    """A business type of an enterprise; each maps to an aspect of the AEO specific criteria
    (Bulletin 2022 No. 106: 11 business types; Bulletin 2026 No. 34: 4 types). Editable data."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    criteria_aspect = models.CharField(
        _("specific criteria aspect"),
        max_length=60,
        blank=True,
        help_text=_("Code of the specific-criteria aspect this business type is assessed against."),
    )

    name = TranslatedField("name_zh", "name_en")

    class Meta:
        ordering = ["code"]
        verbose_name = _("business type")
        verbose_name_plural = _("business types")

    def __str__(self) -> str:
        return self.name


class CultivationStatus(models.TextChoices):
    """Where an enterprise stands in credit cultivation (seed 004: procedures, suspension,
    termination; DOMAIN.md: lifecycle as a state machine)."""

    NONE = "none", _("Not applied")
    APPLIED = "applied", _("Applied")
    NOT_SELECTED = "not_selected", _("Not selected")
    LISTED = "listed", _("On the key training list")
    IN_TRAINING = "in_training", _("In training")
    COMPLETED = "completed", _("Training completed")
    APPLIED_FOR_AEO = "applied_for_aeo", _("Applied for AEO certification")
    CERTIFIED = "certified", _("AEO certified")
    SUSPENDED = "suspended", _("Cultivation suspended")
    TERMINATED = "terminated", _("Cultivation terminated")


# Suspended or terminated: no new bookings, no exam check-in (DOMAIN.md: effects).
BLOCKING_STATUSES = frozenset({CultivationStatus.SUSPENDED.value, CultivationStatus.TERMINATED.value})


class Enterprise(models.Model):
    """An enterprise registered with customs that takes part in credit cultivation."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    credit_code = CodeField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    customs_code = CodeField(
        _("customs registration code"), max_length=10, blank=True, validators=[validate_customs_code]
    )
    customs_unit = models.ForeignKey(
        CustomsUnit, verbose_name=_("customs district"), on_delete=models.PROTECT, related_name="enterprises"
    )
    is_sme = models.BooleanField(_("small or medium-sized enterprise"), default=True)
    business_types = models.ManyToManyField(
        BusinessType, verbose_name=_("business types"), blank=True, related_name="enterprises"
    )
    credit_level = models.ForeignKey(
        CreditLevel,
        verbose_name=_("credit level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    credit_score = models.PositiveSmallIntegerField(
        _("credit assessment score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("0-100, provided by customs."),
    )
    credit_score_date = models.DateField(_("credit score date"), null=True, blank=True)
    application_bar_until = models.DateField(
        _("barred from applying until"),
        null=True,
        blank=True,
        help_text=_(
            "1-year bar after failing certification or re-check, giving up the status, withdrawing an "
            "application, being downgraded or leaving the discredited list."
        ),
    )
    application_bar_reason = models.CharField(_("reason for the bar"), max_length=200, blank=True)
    is_key_enterprise = models.BooleanField(_("key enterprise"), default=False)
    key_enterprise_reason = models.CharField(_("why it is a key enterprise"), max_length=300, blank=True)
    key_enterprise_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("key enterprise flag set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    key_enterprise_set_at = models.DateTimeField(_("key enterprise flag set at"), null=True, blank=True)
    cultivation_status = models.CharField(
        _("cultivation status"), max_length=20, choices=CultivationStatus.choices, default=CultivationStatus.NONE
    )
    status_before_suspension = models.CharField(
        _("status before suspension"), max_length=20, choices=CultivationStatus.choices, blank=True
    )
    suspension_ground = models.CharField(_("suspension ground"), max_length=30, blank=True)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    name = TranslatedField("name_zh", "name_en")

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(credit_score__isnull=True) | models.Q(credit_score__lte=100),
                name="enterprise_credit_score_0_100",
            ),
            models.UniqueConstraint(
                fields=["customs_code"],
                condition=~models.Q(customs_code=""),
                name="enterprise_customs_code_unique",
                violation_error_message=_("Another enterprise already has this customs registration code."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def cultivation_blocked(self) -> bool:
        """Suspended or terminated: no new bookings, no exam check-in (DOMAIN.md: effects)."""
        return self.cultivation_status in BLOCKING_STATUSES


class Position(models.TextChoices):
    """A person's position in their enterprise (seed 004: priority selection of trainees)."""

    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
    SENIOR_MANAGEMENT = "senior_management", _("Senior management")
    CUSTOMS_AFFAIRS = "customs_affairs", _("Customs affairs staff")
    FINANCE = "finance", _("Finance staff")
    INTERNAL_CONTROL = "internal_control", _("Internal control / audit staff")
    LOGISTICS_SECURITY = "logistics_security", _("Logistics / security staff")
    IT = "it", _("IT staff")
    OTHER = "other", _("Other")


# Seed 004, priority selection: "personnel of relevant departments".
RELEVANT_DEPARTMENT_POSITIONS = frozenset(
    {
        Position.CUSTOMS_AFFAIRS,
        Position.FINANCE,
        Position.INTERNAL_CONTROL,
        Position.LOGISTICS_SECURITY,
        Position.IT,
    }
)


class UserManager(DjangoUserManager):
    """Users log in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person using the platform. Enterprise staff belong to one enterprise with a position;
    customs officers belong to one customs unit."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    phone = models.CharField(
        _("mobile number"),
        max_length=16,
        blank=True,
        help_text=_("A mainland China mobile number in international form (+86…); one account per number."),
    )
    phone_verified = models.BooleanField(
        _("mobile number verified"), default=False, help_text=_("Confirmed with a code sent by SMS.")
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    position = models.CharField(_("position"), max_length=30, choices=Position.choices, blank=True)
    is_enterprise_admin = models.BooleanField(
        _("enterprise administrator"),
        default=False,
        help_text=_("May invite staff and apply for training on behalf of the enterprise."),
    )
    customs_unit = models.ForeignKey(
        CustomsUnit,
        verbose_name=_("customs unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )

    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the person uses on the site; every notice is sent in it."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(enterprise__isnull=True) | ~models.Q(position=""),
                name="enterprise_staff_have_position",
            ),
            # A mobile number signs in to one account only (allauth's phone login).
            models.UniqueConstraint(fields=["phone"], condition=~models.Q(phone=""), name="user_phone_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        # Chinese names are written family name first, without a space.
        return f"{self.last_name}{self.first_name}".strip()

    @property
    def roles(self) -> set[str]:
        """Names of the person's groups (their roles), read once per instance: one statement the
        ORM compiled once per process (`lms.compiled`), since nearly every request asks."""
        if not hasattr(self, "_roles"):
            self._roles = {name for (name,) in _GROUP_NAMES.rows(self.pk)} if self.pk is not None else set()
        return self._roles

    def has_role(self, role: Role) -> bool:
        return role.value in self.roles

    @property
    def administers_enterprise(self) -> bool:
        """The legal representative or a person they delegated administers the enterprise."""
        return self.enterprise_id is not None and (
            self.is_enterprise_admin or self.position == Position.LEGAL_REPRESENTATIVE
        )

    @property
    def is_customs_officer(self) -> bool:
        return self.customs_unit_id is not None and (self.is_superuser or self.has_role(Role.CUSTOMS_OFFICER))

    @property
    def works_in_back_office(self) -> bool:
        return self.is_superuser or any(self.has_role(r) for r in BACK_OFFICE_ROLES)
