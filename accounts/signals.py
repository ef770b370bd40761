"""A user's API tokens end with their password: a new password, or a deactivated
account, revokes every token the user holds (sessions end through Django's own session
hash). The tokens go in the same transaction as the change."""

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from knox.models import get_token_model

WATCHED = {"password", "is_active"}


def revoke_tokens_on_credential_change(sender, instance, raw=False, update_fields=None, **kw):
    if raw or instance.pk is None:
        return
    if update_fields is not None and not WATCHED.intersection(update_fields):
        return  # e.g. the last_login stamp of every login
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["password"] != instance.password or (before["is_active"] and not instance.is_active):
        get_token_model().objects.filter(user_id=instance.pk).delete()


def connect() -> None:
    pre_save.connect(
        revoke_tokens_on_credential_change,
        sender=get_user_model(),
        dispatch_uid="accounts.revoke_tokens_on_credential_change",
    )
