from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "followup"
    verbose_name = _("Follow-up actions")

    def ready(self):
        from assessments.services import register_level_rule
        from followup.rules import integration_needs_document

        register_level_rule(integration_needs_document)
