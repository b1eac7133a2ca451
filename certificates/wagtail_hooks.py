"""Back office of certificates: the list and revoke action (`viewsets.py`), its permission policy
(predicates and scope of `trainees.access`), and the audit log action."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from trainees.access import PredicatePermissionPolicy, may_manage_certificates

from .models import Certificate
from .viewsets import CertificateViewSet

# Officers and lead trainers view (and revoke through the service); nobody adds, edits or deletes.
register_permission_policy(
    Certificate,
    PredicatePermissionPolicy(Certificate, lambda user, action: action == "view" and may_manage_certificates(user)),
)


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return CertificateViewSet("certificate")


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    actions.register_action("certificates.revoke", _("Revoke certificate"), _("Certificate revoked"))
