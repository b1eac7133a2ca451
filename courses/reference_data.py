"""Course moderation set-up (issue 11 point 2): the Lead trainers group (a role), and for every
course catalogue page a Wagtail workflow in which a lead trainer approves or rejects, plus the
lead trainers' page permissions there. `apps` is the migration registry or the live one."""

LEAD_TRAINERS = "Lead trainers"
WORKFLOW_NAME = "课程审核 Course review"
TASK_NAME = "主讲培训师审核 Lead trainer review"
LEAD_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
MEDIA_PERMISSIONS = ["add_image", "change_image", "choose_image", "add_document", "change_document", "choose_document"]


def ensure_course_workflow(apps) -> None:
    """Assign the course-review workflow to every course catalogue page and let lead trainers
    work there. Idempotent; run by the migration, the demo data and tests."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")
    CourseIndexPage = apps.get_model("courses", "CourseIndexPage")

    lead, _ = Group.objects.get_or_create(name=LEAD_TRAINERS)
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=TASK_NAME, active=True, content_type=task_type)
    task.groups.add(lead)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})
    page_perms = list(
        Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=LEAD_PAGE_PERMISSIONS)
    )
    for index in CourseIndexPage.objects.all():
        WorkflowPage.objects.update_or_create(page_id=index.pk, defaults={"workflow": workflow})
        for permission in page_perms:
            GroupPagePermission.objects.get_or_create(group=lead, page_id=index.pk, permission=permission)


def load(apps) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    lead, _ = Group.objects.get_or_create(name=LEAD_TRAINERS)
    access_admin = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin").first()
    if access_admin is not None:
        lead.permissions.add(access_admin)
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for permission in Permission.objects.filter(
            content_type__app_label__in=["wagtailimages", "wagtaildocs"], codename__in=MEDIA_PERMISSIONS
        ):
            GroupCollectionPermission.objects.get_or_create(
                group=lead, collection=root_collection, permission=permission
            )
    ensure_course_workflow(apps)
