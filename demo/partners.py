"""The partners' own views in Sigi's open 2026 round: invitations in every state, and
pairs where the two sides agree, disagree, or one does not know.

Written through ``partners.services`` as the links would write them. The states
(``partners.models.InvitationStatus``): two members answered and submitted, one answered
partly, one was sent a link and has not answered, one link expired after a first answer
(its date set directly: the demo has no clock to move), one was revoked; every other
member has no link yet (not sent). A round that has invitations is kept as it is.

Then the scorer reconciles two pairs through ``partners.services.reconcile`` (the pair
panel's form): one of the two disagreements (Bappeda ↔ DPMD), and a pair with one view
only; the other disagreement (Bappeda ↔ DP2KB) is left for the scorer.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from assessments.models import AssessmentRound, PairAssessment
from assessments.selectors import round_actors
from partners.models import Invitation
from partners.selectors import pair_views, views_version
from partners.services import answer_save, identify, invite, reconcile, revoke, submit

ROUND = "Pemetaan Konvergensi Kabupaten Sigi 2026"
KNOWN = "official"  # the level the health office scored (1 when the pair is not scored)
NONE = "none"  # "we do not work together"
UNKNOWN = "unknown"  # "I don't know"


@dataclass(frozen=True)
class Respondent:
    name: str
    position: str
    state: str  # submitted, partly, waiting, expired, revoked
    # The other member's short name → a level, KNOWN, NONE or UNKNOWN, and a note.
    answers: dict[str, tuple[int | str, str]] = field(default_factory=dict)


RESPONDENTS = {
    "Bappeda": Respondent(
        "Ir. Hasanuddin Lamasitudju",
        "Kepala Bidang Pemerintahan dan Pembangunan Manusia",
        "submitted",
        {
            # Disagrees with DPMD (4 against 1) and with DP2KB (0 against 3).
            "DPMD": (4, "SK TPPS bersama, anggaran konvergensi desa disusun bersama."),
            "DP2KB": (NONE, ""),
            "Dinkes": (KNOWN, ""),
            "Dinsos": (KNOWN, ""),
            "BPKAD": (KNOWN, ""),
            "Disdikbud": (2, ""),
            "Disdukcapil": (UNKNOWN, ""),
        },
    ),
    "DPMD": Respondent(
        "Nurhayati Lasimpo, S.Sos",
        "Kepala Bidang Pemberdayaan Masyarakat Desa",
        "submitted",
        {
            "Bappeda": (1, "Hanya menerima data; rencana desa tidak dibahas bersama."),
            "Dinkes": (KNOWN, ""),
            "DP2KB": (KNOWN, ""),
            "Dinsos": (UNKNOWN, ""),
            "Disdikbud": (2, ""),
        },
    ),
    "DP2KB": Respondent(
        "dr. Fadli Rahman",
        "Sekretaris Dinas",
        "partly",
        {
            "Bappeda": (3, "Audit kasus stunting dan rembuk stunting tahunan bersama."),
            "Dinkes": (KNOWN, ""),
            "DPMD": (KNOWN, ""),  # agrees with DPMD's view of it
        },
    ),
    "Dinsos": Respondent("", "", "waiting"),
    "Disdukcapil": Respondent(
        "Andi Mappaseng",
        "Kepala Seksi Pemanfaatan Data",
        "expired",
        {"Dinkes": (KNOWN, "")},
    ),
    "Diskominfo": Respondent(
        "Rizal Tombolotutu", "Pranata Komputer", "revoked", {"Bappeda": (2, "")}
    ),
}


# The scorer's decisions: (one member, the other, the official level set, the reason).
RECONCILED = [
    (
        "Bappeda",
        "DPMD",
        2,
        "Rapat klarifikasi dengan kedua pihak: SK TPPS memang ada, tetapi rencana dan "
        "anggaran desa belum disusun bersama. Koordinasi, belum integrasi.",
    ),
    (
        "DPMD",
        "Disdikbud",
        2,
        "Hanya DPMD yang menjawab; notulen rembuk stunting mencatat kegiatan bersama.",
    ),
]


def answers_for(level: int | str, note: str) -> dict:
    """The form's answers that give ``level``: consistent evidence, as a partner gives it."""
    if level in (NONE, UNKNOWN):
        return {"kind": level, "note": note}
    if level == 0:
        return {"kind": NONE, "note": note}
    return {"evidence": tuple(step <= level for step in range(1, 5)), "note": note}


def seed_partners(*, scorer, out) -> None:
    """Invitations and answers in Sigi's open 2026 round (see the module's docstring)."""
    round_ = AssessmentRound.objects.filter(name=ROUND, region__code="72.10").first()
    if round_ is None:
        return
    if Invitation.objects.filter(round=round_).exists():
        out.write(f"  {ROUND}, partners' views: kept as they are")
        return
    members = {actor.short_name: actor for actor in round_actors(round=round_)}
    official = {
        (first, second): level
        for first, second, level in PairAssessment.objects.filter(round=round_).values_list(
            "actor_a_id", "actor_b_id", "level"
        )
    }
    made = invite(round=round_, actors=[members[short] for short in RESPONDENTS], user=scorer)
    invitations = {invitation.actor.short_name: invitation for invitation, _token in made}
    for short, respondent in RESPONDENTS.items():
        invitation = invitations[short]
        if respondent.name:
            invitation = identify(
                invitation=invitation, name=respondent.name, position=respondent.position
            )
        for other_short, (level, note) in respondent.answers.items():
            other = members[other_short]
            if level == KNOWN:
                pair = tuple(sorted((invitation.actor_id, other.pk)))
                level = official.get(pair, 1)
            answer_save(invitation=invitation, other_actor=other, answers=answers_for(level, note))
        if respondent.state == "submitted":
            submit(invitation=invitation)
        elif respondent.state == "expired":
            Invitation.objects.filter(pk=invitation.pk).update(
                expires_at=timezone.now() - timedelta(days=3)
            )
        elif respondent.state == "revoked":
            revoke(invitation=invitation, user=scorer)
    for one, other, level, reason in RECONCILED:
        first, second = members[one], members[other]
        reconcile(
            round=round_,
            actor_a=first,
            actor_b=second,
            level=level,
            reason=reason,
            user=scorer,
            views_version=views_version(pair_views(round_, first.pk, second.pk)),
        )
    out.write(
        f"  {ROUND}, partners' views: {len(made)} of {len(members)} members invited "
        "(answered, partly answered, waiting, expired, revoked); "
        f"{len(RECONCILED)} pairs reconciled"
    )
