from django import template

from trainees import rules

register = template.Library()

STATUS_BADGES = {
    "listed": "success",
    "in_training": "success",
    "completed": "success",
    "applied_for_aeo": "success",
    "certified": "success",
    "applied": "",
    "none": "",
    "not_selected": "warning",
    "suspended": "warning",
    "terminated": "danger",
}
OUTCOME_BADGES = {"listed": "success", "not_selected": "warning", "ineligible": "danger", "excluded": "danger"}


@register.filter
def status_badge(status: str) -> str:
    """CSS modifier of the badge for a cultivation status."""
    badge = STATUS_BADGES.get(status, "")
    return f"badge--{badge}" if badge else ""


@register.filter
def outcome_badge(outcome: str) -> str:
    badge = OUTCOME_BADGES.get(outcome, "")
    return f"badge--{badge}" if badge else ""


@register.filter
def reasons(value) -> str:
    """Stored or computed reasons in words, in the active language."""
    return rules.describe_reasons(value or ())


@register.filter
def reason_list(value) -> list[str]:
    return [rules.describe_reason(*r) for r in value or ()]


@register.filter
def base_label(slug: str) -> str:
    return str(rules._BASES.get(slug, slug))


@register.filter
def base_labels(slugs) -> str:
    return "、".join(base_label(s) for s in slugs or ())
