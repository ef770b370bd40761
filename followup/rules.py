"""The evidence policy's rule on the level of a pair, registered with the scoring
services (``assessments.services.register_level_rule``) when the app starts: the scoring
page, the API and the pair import all run it."""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from assessments.models import AssessmentRound, Level
from followup.models import EvidenceDocument, EvidencePolicy


def integration_needs_document(
    round: AssessmentRound, levels: Mapping[tuple[int, int], int]
) -> dict[tuple[int, int], str]:
    """When the policy asks for it, the pairs set to level 4 (integration) with no present
    document on that pair in that round. No query when no pair is set to 4; two
    otherwise (the policy, the documented pairs among the wanted pairs' actors)."""
    wanted = {pair for pair, level in levels.items() if level == Level.INTEGRATION}
    if not wanted or not EvidencePolicy.current().integration_needs_document:
        return {}
    # Only the documents of the wanted pairs' actors (at most one per actor on each side),
    # not every documented pair of the round.
    documented = set(
        EvidenceDocument.objects.present()
        .filter(
            round=round,
            actor_a_id__in={first for first, _second in wanted},
            actor_b_id__in={second for _first, second in wanted},
        )
        .values_list("actor_a_id", "actor_b_id")
        .distinct()
    )
    message = _(
        "Level 4 (integration) needs evidence: attach at least one document (a decree, "
        "an MoU, minutes) to this pair in this round, then save the level again."
    )
    return {pair: message for pair in sorted(wanted - documented)}
