"""An actor deactivated by any door (the admin, the API, a restore) leaves the rosters of
the rounds not yet closed where nobody scored it (``rounds.withdraw_inactive_members``).
Bulk writes send no signal: the actor import calls the service itself."""

from django.db.models.signals import post_save

from actors.models import Actor


def actor_saved(sender, instance, raw=False, **kwargs):
    if raw or instance.is_active:
        return
    from assessments.rounds import withdraw_inactive_members

    withdraw_inactive_members([instance.pk])


def connect() -> None:
    post_save.connect(actor_saved, sender=Actor, dispatch_uid="assessments.actor_saved")
