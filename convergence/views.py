from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render

from accounts.models import Role
from accounts.scoping import access_for, readable_root_regions
from actors.models import GovernmentLevel, Region
from assessments.models import AssessmentRound, RoundStatus

# The home page's "what next" list names at most this many open rounds.
OPEN_ROUNDS_LISTED = 5


def home(request):
    """The first page: the regions the user works in, and what to do next for their role."""
    roots = readable_root_regions(request.user)
    # A province lists its districts, the nation its provinces: one query for all of them.
    below = Region.objects.filter(
        parent__in=[root for root in roots if root.level < GovernmentLevel.DISTRICT],
        level__lte=GovernmentLevel.DISTRICT,
    )
    children = {}
    for region in below:
        children.setdefault(region.parent_id, []).append(region)
    access = access_for(request.user)
    open_rounds = []
    if roots and access.has_role(Role.SCORER, Role.ADMIN):
        # The rounds that can be scored now, newest first, in one query.
        open_rounds = list(
            AssessmentRound.objects.visible_to(request.user)
            .filter(status=RoundStatus.OPEN)
            .select_related("region")
            .latest_first()[:OPEN_ROUNDS_LISTED]
        )
    return render(
        request,
        "home.html",
        {
            "regions": [(root, children.get(root.pk, [])) for root in roots],
            "roles": sorted(access.roles),
            "first_region": roots[0] if roots else None,
            "open_rounds": open_rounds,
        },
    )


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else None
    return render(request, "403.html", {"message": message}, status=403)


@login_not_required
def healthz(request):
    """For load balancers and the load benchmark: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
