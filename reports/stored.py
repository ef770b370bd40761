"""A closed round's reports, built once and kept in storage while the round is unchanged.

A closed round's figures never change (its roster is frozen), so its PDF, XLSX and CSV are
built at the first download and kept through Django's storage API (default storage, under
``FOLDER``, never served by a URL of its own); the next download of the same file reads
them back. The views check who may read the region before they get here, as for any
report: nothing here decides access.

A stored file is named by its round, the round's **version** and the request: format,
variant (target level, the PDF's sector, CSV variant), language and, for the PDF and the
XLSX, the user whose name the file carries ("Exported by"); its moment of export stays
that of the first build. The version is a digest of everything the report reads that
could still change after closing, read with a fixed number of small aggregate queries
(``round_version``): the round and the rounds the user sees beside it (a reopened round,
a previous round's pairs, the next round that checks the round's follow-up actions), the
rosters, the follow-up actions (edited, or overdue since), the partners' answers,
invitations and reconciliations, and the names that are read as they are now (actors,
sectors, vocabularies, programme, the levels' roles).
Another version is another name: the files of an earlier version of the round are
deleted when the new one is stored.

A stored file ends with the SHA-256 of its content: a file cut short (a build still
being written, a full disk) never matches and is built again.

A province's report is not stored: its ranking follows every district's latest round.
"""

import contextlib
import hashlib
import json
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from actors.models import Actor, GovernmentLevel, Programme, Sector, VocabularyTerm
from assessments.models import AssessmentRound, LevelRole, PairAssessment, RoundMember, RoundStatus
from followup.models import OPEN_STATUSES, FollowUpAction
from partners.models import Invitation, PartnerAnswer, Reconciliation

FOLDER = "private/reports"
_DIGEST_SIZE = hashlib.sha256().digest_size


def stored_report(
    *,
    region,
    round: AssessmentRound | None,
    rounds: list[AssessmentRound],
    fmt: str,
    variant: dict,
    language: str,
    build: Callable[[], bytes],
) -> bytes:
    """The report's bytes: read from storage when the closed ``round`` has a stored build
    of this version and ``variant``, else ``build()`` (stored for the next time when the
    round is closed)."""
    if not storable(region, round):
        return build()
    version = round_version(region=region, round=round, rounds=rounds)
    name = _name(round, version, fmt, variant, language)
    content = _read(name)
    if content is not None:
        return content
    content = build()
    _store(round, version, name, content)
    return content


def stored_copy(
    *,
    region,
    round: AssessmentRound,
    rounds: list[AssessmentRound],
    fmt: str,
    variant: dict,
    language: str,
) -> tuple[str, bytes | None]:
    """The round's version, and the stored copy of the report when the closed round has
    one (``None`` otherwise, and for a round that is not stored)."""
    version = round_version(region=region, round=round, rounds=rounds)
    if not storable(region, round):
        return version, None
    return version, _read(_name(round, version, fmt, variant, language))


def storable(region, round: AssessmentRound | None) -> bool:
    return (
        round is not None
        and round.status == RoundStatus.CLOSED
        and region.level != GovernmentLevel.PROVINCE
    )


def round_version(*, region, round: AssessmentRound, rounds: list[AssessmentRound]) -> str:
    """A digest of what the round's reports read that can change after closing. Ten
    queries (eleven for a programme's round), whatever the size of the round; the history
    tables are read by their indexed maxima, never counted."""
    ids = sorted({round.pk, *(other.pk for other in rounds)})
    today = timezone.localdate()
    pairs = (
        PairAssessment.objects.filter(round_id__in=ids)
        .order_by()
        .values("round_id")
        .annotate(count=Count("id"), last=Max("id"), levels=Sum("level"), at=Max("scored_at"))
        .order_by("round_id")
    )
    members = (
        RoundMember.objects.filter(round_id__in=ids)
        .order_by()
        .values("round_id")
        .annotate(count=Count("id"), last=Max("id"), frozen=Max("frozen_at"))
        .order_by("round_id")
    )
    actions = FollowUpAction.objects.filter(round=round).aggregate(
        count=Count("id"),
        last=Max("id"),
        at=Max("updated_at"),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
    )
    answers = PartnerAnswer.objects.filter(invitation__round=round).aggregate(
        count=Count("id"), last=Max("id"), at=Max("updated_at")
    )
    # The partners' response (invitations sent, revoked) and the reconciled pairs.
    invitations = Invitation.history.filter(round_id=round.pk).aggregate(last=Max("history_id"))
    reconciliations = Reconciliation.objects.filter(round=round).aggregate(
        count=Count("id"), last=Max("id")
    )
    # Read as they are now: the names of actors (action owners), sectors, terms, roles.
    names = {
        "actors": Actor.history.aggregate(at=Max("history_date"), last=Max("history_id")),
        "terms": VocabularyTerm.history.aggregate(at=Max("history_date"), last=Max("history_id")),
        "roles": LevelRole.objects.aggregate(at=Max("updated_at"), count=Count("id")),
        "sectors": list(
            Sector.objects.order_by("pk").values_list("pk", "name_id", "name_en", "is_health")
        ),
    }
    programme = None
    if round.programme_id:
        programme = Programme.history.filter(id=round.programme_id).aggregate(
            at=Max("history_date"), last=Max("history_id")
        )
    facts = {
        "round": [
            round.pk,
            round.status,
            round.name,
            round.period_start,
            round.period_end,
            round.programme_id,
        ],
        "region": [region.pk, region.code, region.name, region.level],
        "rounds": [[other.pk, other.status, other.name] for other in rounds],
        "pairs": list(pairs),
        "members": list(members),
        "actions": actions,
        "answers": answers,
        "invitations": invitations,
        "reconciliations": reconciliations,
        "names": names,
        "programme": programme,
    }
    text = json.dumps(facts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _folder(round: AssessmentRound) -> str:
    return f"{FOLDER}/round-{round.pk}"


def _name(round, version: str, fmt: str, variant: dict, language: str) -> str:
    """``private/reports/round-<id>/<version>-<request digest>.<format>``: the variant's
    values are hashed, so that nothing a user typed reaches a file name."""
    request = json.dumps({"variant": variant, "language": language}, sort_keys=True)
    digest = hashlib.sha256(request.encode()).hexdigest()[:24]
    return f"{_folder(round)}/{version}-{digest}.{fmt}"


def _read(name: str) -> bytes | None:
    try:
        with default_storage.open(name, "rb") as stored:
            data = stored.read()
    except OSError:  # not stored (FileNotFoundError), or unreadable: built again
        return None
    content, check = data[:-_DIGEST_SIZE], data[-_DIGEST_SIZE:]
    if len(data) <= _DIGEST_SIZE or hashlib.sha256(content).digest() != check:
        return None
    return content


def _store(round, version: str, name: str, content: bytes) -> None:
    """Keep ``content`` under ``name`` and drop the round's files of other versions. A
    file left by a build cut short is replaced; two builds at once keep one of them."""
    try:
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(content + hashlib.sha256(content).digest()))
        if saved != name:  # another build stored it meanwhile, under the name
            default_storage.delete(saved)
        _folders, files = default_storage.listdir(_folder(round))
    except OSError:
        return  # a storage that refuses is a slower download, not a failed one
    for file in files:
        if not file.startswith(version):
            with contextlib.suppress(OSError):
                default_storage.delete(f"{_folder(round)}/{file}")
