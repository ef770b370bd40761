"""Failed logins: django-axes locks a user name tried from one address (AXES_FAILURE_LIMIT);
this handler also locks an address from which many user names are tried
(AXES_ADDRESS_FAILURE_LIMIT), so that guessing across accounts is slowed too."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class AddressAwareHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or (
            self.failures_from_address(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT
        )

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # Answer with the lockout page (429) once the address is over its limit, as axes
        # does for a user name over its own.
        if request is not None and (
            self.failures_from_address(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT
        ):
            request.axes_locked_out = True

    def failures_from_address(self, request) -> int:
        address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        if not address:
            return 0
        failures = AccessAttempt.objects.filter(
            ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(total=Sum("failures_since_start"))["total"]
        return failures or 0
