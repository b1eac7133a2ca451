"""Set-up of consultations: the Coordinators group (a role, `trainees.roles.Role.COORDINATOR`)
and the customs officers' permissions on the districts' answer times. `apps` is the migration
registry or the live one; used by the data migration, on post_migrate and by the test suite
after tables are flushed."""

COORDINATORS = "Coordinators"
OFFICER_PERMISSIONS = (
    "add_districtconsultationsetting",
    "change_districtconsultationsetting",
    "view_districtconsultationsetting",
    "delete_districtconsultationsetting",
)


def load_roles(apps) -> None:
    """Coordinators work on the public site (their desk); no back-office permission."""
    apps.get_model("auth", "Group").objects.get_or_create(name=COORDINATORS)


def grant_officer_permissions(apps) -> None:
    """Customs officers set their district's answer time in the back office (those permissions
    that exist yet: permissions are created after migrations)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Customs officers").first()
    if group is None:
        return
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="consultations", codename__in=OFFICER_PERMISSIONS)
    )


def load(apps) -> None:
    load_roles(apps)
    grant_officer_permissions(apps)
