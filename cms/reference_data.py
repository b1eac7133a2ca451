"""Back-office permissions on content: trainers and customs officers add, edit and publish pages
under the home page and manage images and documents. Used by migration 0002 (historical models)
and by the test suite after tables are flushed (`apps` is either registry)."""

BACK_OFFICE_ROLES = ["Trainers", "Customs officers"]
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
MEDIA_PERMISSIONS = ["add_image", "change_image", "choose_image", "add_document", "change_document", "choose_document"]


def grant_back_office_permissions(apps, home_page_id: int) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_collection = apps.get_model("wagtailcore", "Collection").objects.get(depth=1)
    page_perms = Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS)
    media_perms = Permission.objects.filter(
        content_type__app_label__in=["wagtailimages", "wagtaildocs"], codename__in=MEDIA_PERMISSIONS
    )
    for group in Group.objects.filter(name__in=BACK_OFFICE_ROLES):
        for permission in page_perms:
            GroupPagePermission.objects.get_or_create(group=group, page_id=home_page_id, permission=permission)
        for permission in media_perms:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
