"""Who may read and change follow-up actions, for the pages and the API alike. The rules
are ``accounts.scoping``'s: the jurisdiction decides where, the roles decide what."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scoping import access_for, can_administer, can_read, can_read_details, sees_drafts
from actors.models import Region
from assessments.models import RoundStatus
from followup.models import EvidenceDocument, FollowUpAction

# Scorers and planners draw up the follow-up of the map; admins too. Viewers read.
PLANNING_ROLES = (Role.ADMIN, Role.SCORER, Role.PLANNER)


def can_manage_actions(user, region: Region) -> bool:
    access = access_for(user)
    return access.has_role(*PLANNING_ROLES) and access.covers(region)


def manages_actions(user) -> bool:
    """Whether the user's role writes actions anywhere (region checks come after)."""
    return access_for(user).has_role(*PLANNING_ROLES)


def can_delete_actions(user, region: Region) -> bool:
    return can_administer(user, region)


def get_action_for_user(user, action_id, *, region: Region | None = None) -> FollowUpAction:
    """The action: 404 if unknown, not in ``region`` (when given) or from a draft round the
    user may not see; 403 outside the user's jurisdiction."""
    try:
        action = FollowUpAction.objects.select_related(
            "region", "round", "actor_a", "actor_b", "sector_a", "sector_b", "owner"
        ).get(pk=action_id)
    except (FollowUpAction.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such follow-up action.")) from None
    if region is not None and action.region_id != region.pk:
        raise Http404(_("No such follow-up action."))
    if not can_read(user, action.region):
        raise PermissionDenied(_("This follow-up action is outside your jurisdiction."))
    if action.round.status == RoundStatus.DRAFT and not sees_drafts(user):
        raise Http404(_("No such follow-up action."))
    return action


def get_document_for_user(
    user, document_id, *, action: FollowUpAction | None = None, region: Region | None = None
) -> EvidenceDocument:
    """A present document, for the detail readers of its region (403 for viewers: they
    read the map, not the evidence), 404 otherwise.

    Either of ``action`` (already checked for the user: the action page's URLs), or of
    ``region`` (already checked by ``get_region_for_user``: the region's document URLs,
    which serve a document of any subject, action, pair or aksi). A document of another
    action or region, a deleted one, or one of a draft round the user may not see is
    not found."""
    if (action is None) == (region is None):
        raise TypeError("get_document_for_user needs an action or a region")
    region = action.region if action is not None else region
    if not can_read_details(user, region):
        raise PermissionDenied(_("Documents are for the scorers, planners and admins."))
    lookup = {"action": action} if action is not None else {"region": region}
    try:
        document = (
            EvidenceDocument.objects.present()
            .select_related("region", "round", "action", "actor_a", "actor_b")
            .get(pk=document_id, **lookup)
        )
    except (EvidenceDocument.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such document.")) from None
    if (
        document.round is not None
        and document.round.status == RoundStatus.DRAFT
        and not sees_drafts(user)
    ):
        raise Http404(_("No such document."))
    return document
