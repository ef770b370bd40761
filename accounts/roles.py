"""The four role groups and the model permissions each one carries in the admin."""

from django.contrib.auth.models import Group, Permission

from accounts.models import Role

# Admins manage the reference data, the rounds and the users in the Django admin.
ADMIN_MODELS = {
    "actors": [
        "region",
        "sector",
        "actor",
        "programme",
        "programmeparticipant",
        "vocabularyterm",
    ],
    "assessments": ["assessmentround", "pairassessment"],
    "accounts": ["jurisdiction"],
    "auth": ["user"],
    # API tokens: listed and revoked (never added or changed) in the admin.
    "knox": ["authtoken"],
    # Partners' links, answers and the scorers' reconciliations: read (never added,
    # changed or deleted) in the admin.
    "partners": ["invitation", "partneranswer", "reconciliation"],
    # The site's evidence policy: read by every admin, changed by national admins.
    "followup": ["evidencepolicy"],
}


def ensure_role_groups(**kwargs) -> None:
    """Create the role groups (idempotent); run after every migrate."""
    groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
    wanted = Permission.objects.none()
    for app_label, models in ADMIN_MODELS.items():
        wanted = wanted | Permission.objects.filter(
            content_type__app_label=app_label, content_type__model__in=models
        )
    groups[Role.ADMIN].permissions.set(wanted)
