"""Export one round with everything it needs to stand alone, and restore it.

The export is plain JSON keyed by natural keys (region codes, sector codes, actor names
within their region, user names), so it restores into the same database or another one,
whatever its ids. Version 2 of the format also carries each pair's version and its change
history, so that a restored round reads the same "as of" any past date; version 1 files
(without them) still restore. Whole-database backups use the database's own tools (README,
"Backup and restore").

A restore goes through the rules of every other write path: each region, sector, actor,
programme and participant is checked by its model (``full_clean``, and the region
import's ``region_from_code``), each pair and each record of its history by the scoring
rules (``assessments.services.clean_pair_values`` and ``validate_pair``). A file that
breaks any of them is refused with every problem found, by section, row and field, and
nothing is written. A closed round restores closed: the open-round rule belongs to scoring.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from jsonschema import Draft202012Validator

from accounts.scoping import can_administer, manages_reference_data, may_create_region
from actors.models import (
    Actor,
    GovernmentLevel,
    Programme,
    ProgrammeParticipant,
    Region,
    Sector,
    normalize_region_code,
    region_from_code,
)
from actors.selectors import read_vocabularies
from assessments.models import EVIDENCE_FIELDS, AssessmentRound, PairAssessment, RoundMember
from assessments.services import (
    CHOICE_LIST_FIELDS,
    canonical_pair,
    clean_pair_values,
    validate_pair,
)
from assessments.summaries import refresh_round_summary
from imports.tabular import ImportRefused

FORMAT = "peta-konvergensi/round"
VERSION = 3
READABLE_VERSIONS = (1, 2, 3)
# Kept with every history record a restore writes (the round's, the new actors', and the
# one record of each pair that a version-1 file has no history for).
CHANGE_REASON = "restored from file"
BATCH_SIZE = 1000

PAIR_FIELDS = (
    "level",
    "note",
    *EVIDENCE_FIELDS,
    "evidence_inconsistency_confirmed",
    "mechanisms",
    "facilitating_factors",
    "hindering_factors",
)


# Export ----------------------------------------------------------------------------------


def _region_chain(region: Region) -> list[Region]:
    chain = []
    while region is not None:
        chain.append(region)
        region = region.parent
    return list(reversed(chain))


def _username(user) -> str | None:
    return user.username if user is not None else None


def _pair_history(pairs: list[PairAssessment]) -> dict[int, list[dict]]:
    """Every historical record of ``pairs``, oldest first, keyed by the pair's id."""
    records = (
        PairAssessment.history.model.objects.filter(id__in=[pair.pk for pair in pairs])
        .select_related("history_user", "scored_by")
        .order_by("history_date", "history_id")
    )
    history = defaultdict(list)
    for record in records:
        history[record.id].append(
            {
                **{field: getattr(record, field) for field in PAIR_FIELDS},
                "scored_by": _username(record.scored_by),
                "scored_at": record.scored_at.isoformat(),
                "version": record.version,
                "history_date": record.history_date.isoformat(),
                "history_user": _username(record.history_user),
                "history_change_reason": record.history_change_reason,
            }
        )
    return history


def export_round(*, round: AssessmentRound) -> dict:
    """Everything needed to rebuild ``round``: regions, sectors, actors, programme, pairs
    with their versions and history."""
    pairs = list(
        PairAssessment.objects.filter(round=round)
        .select_related(
            "actor_a__home_region", "actor_b__home_region", "actor_a__sector", "scored_by"
        )
        .order_by("actor_a_id", "actor_b_id")
    )
    history = _pair_history(pairs)
    members = list(
        round.members.select_related(
            "actor__home_region", "actor__sector", "sector", "home_region"
        ).order_by("actor_id")
    )
    actors = {pair.actor_a for pair in pairs} | {pair.actor_b for pair in pairs}
    actors |= {member.actor for member in members}
    programme = round.programme
    participants = []
    if programme is not None:
        participants = list(programme.participants.select_related("actor__home_region"))
        actors |= {participant.actor for participant in participants}
        if programme.lead_actor:
            actors.add(programme.lead_actor)
    actors = sorted(actors, key=lambda actor: actor.pk)
    regions = {
        region.code: region for actor in actors for region in _region_chain(actor.home_region)
    }
    regions.update({region.code: region for region in _region_chain(round.region)})
    for member in members:
        if member.home_region is not None:
            regions.update({region.code: region for region in _region_chain(member.home_region)})
    if programme is not None:
        regions.update({region.code: region for region in _region_chain(programme.region)})
    sectors = {actor.sector_id for actor in actors}
    sectors |= {member.sector_id for member in members if member.sector_id}

    def actor_key(actor):
        return [actor.home_region.code, actor.name]

    return {
        "format": FORMAT,
        "version": VERSION,
        "regions": [
            {
                "code": r.code,
                "name": r.name,
                "level": r.level,
                "parent": r.parent.code if r.parent else None,
            }
            for r in sorted(regions.values(), key=lambda region: (region.level, region.code))
        ],
        "sectors": [
            {
                "code": s.code,
                "name_id": s.name_id,
                "name_en": s.name_en,
                "is_health": s.is_health,
                "sort_order": s.sort_order,
            }
            for s in Sector.objects.filter(pk__in=sectors).order_by("pk")
        ],
        "actors": [
            {
                "region": a.home_region.code,
                "name": a.name,
                "short_name": a.short_name,
                "kind": a.kind,
                "sector": a.sector.code,
                "government_level": a.government_level,
                "is_active": a.is_active,
            }
            for a in actors
        ],
        "programme": None
        if programme is None
        else {
            "region": programme.region.code,
            "name": programme.name,
            "period_start": programme.period_start.isoformat(),
            "period_end": programme.period_end.isoformat(),
            "lead_actor": actor_key(programme.lead_actor) if programme.lead_actor else None,
            "target_groups": programme.target_groups,
            "description": programme.description,
            "participants": [
                {
                    "actor": actor_key(p.actor),
                    "role": p.role,
                    "stages": p.stages,
                    "intervention_type": p.intervention_type,
                    "contributions": p.contributions,
                    "contribution_note": p.contribution_note,
                }
                for p in participants
            ],
        },
        "round": {
            "region": round.region.code,
            "name": round.name,
            "period_start": round.period_start.isoformat(),
            "period_end": round.period_end.isoformat(),
            "status": round.status,
        },
        "members": [
            {
                "actor": actor_key(member.actor),
                "frozen_at": member.frozen_at.isoformat() if member.frozen_at else None,
                **(
                    {
                        "name": member.name,
                        "short_name": member.short_name,
                        "kind": member.kind,
                        "sector": member.sector.code,
                        "sector_is_health": member.sector_is_health,
                        "government_level": member.government_level,
                        "home_region": member.home_region.code,
                    }
                    if member.frozen_at
                    else {}
                ),
            }
            for member in members
        ],
        "pairs": [
            {
                "actor_a": actor_key(pair.actor_a),
                "actor_b": actor_key(pair.actor_b),
                **{field: getattr(pair, field) for field in PAIR_FIELDS},
                "scored_by": _username(pair.scored_by),
                "scored_at": pair.scored_at.isoformat(),
                "version": pair.version,
                "history": history.get(pair.pk, []),
            }
            for pair in pairs
        ],
    }


# The shape of a file ---------------------------------------------------------------------
# Types and keys only: what each value may be is the models' and the services' to say.


def _object(properties: dict, *, nullable: bool = False) -> dict:
    return {
        "type": ["object", "null"] if nullable else "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


_TEXT = {"type": "string"}
_OPTIONAL_TEXT = {"type": ["string", "null"]}
_TEXT_LIST = {"type": "array", "items": {"type": "string"}}
_ACTOR_KEY = {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2}
_VERSION = {"type": "integer", "minimum": 1}
# The pair's own values are any JSON: clean_pair_values says what is wrong with them.
_PAIR_VALUES = {
    "level": {},
    "note": {},
    **{field: {} for field in EVIDENCE_FIELDS},
    "evidence_inconsistency_confirmed": {"type": "boolean"},
    "mechanisms": {},
    "facilitating_factors": {},
    "hindering_factors": {},
    "scored_by": _OPTIONAL_TEXT,
    "scored_at": _TEXT,
}
_HISTORY_RECORD = _object(
    {
        **_PAIR_VALUES,
        "version": _VERSION,
        "history_date": _TEXT,
        "history_user": _OPTIONAL_TEXT,
        "history_change_reason": _OPTIONAL_TEXT,
    }
)


_MEMBER = {
    "type": "object",
    "properties": {
        "actor": _ACTOR_KEY,
        "frozen_at": _OPTIONAL_TEXT,
        "name": _TEXT,
        "short_name": _TEXT,
        "kind": _TEXT,
        "sector": _TEXT,
        "sector_is_health": {"type": "boolean"},
        "government_level": {"type": "integer"},
        "home_region": _TEXT,
    },
    "required": ["actor", "frozen_at"],
    "additionalProperties": False,
}
# A frozen member carries what it was frozen as.
FROZEN_FIELDS = (
    "name",
    "short_name",
    "kind",
    "sector",
    "sector_is_health",
    "government_level",
    "home_region",
)


def _schema(version: int) -> dict:
    pair = {"actor_a": _ACTOR_KEY, "actor_b": _ACTOR_KEY, **_PAIR_VALUES}
    if version >= 2:
        pair.update(version=_VERSION, history={"type": "array", "items": _HISTORY_RECORD})
    participant = _object(
        {
            "actor": _ACTOR_KEY,
            "role": _TEXT,
            "stages": _TEXT_LIST,
            "intervention_type": _TEXT,
            "contributions": _TEXT_LIST,
            "contribution_note": _TEXT,
        }
    )
    programme = _object(
        {
            "region": _TEXT,
            "name": _TEXT,
            "period_start": _TEXT,
            "period_end": _TEXT,
            "lead_actor": {**_ACTOR_KEY, "type": ["array", "null"]},
            "target_groups": _TEXT_LIST,
            "description": _TEXT,
            "participants": {"type": "array", "items": participant},
        },
        nullable=True,
    )
    members = {"members": {"type": "array", "items": _MEMBER}} if version >= 3 else {}
    return _object(
        {
            **members,
            "format": _TEXT,
            "version": {"type": "integer"},
            "regions": {
                "type": "array",
                "items": _object(
                    {
                        "code": _TEXT,
                        "name": _TEXT,
                        "level": {"type": "integer"},
                        "parent": _OPTIONAL_TEXT,
                    }
                ),
            },
            "sectors": {
                "type": "array",
                "items": _object(
                    {
                        "code": _TEXT,
                        "name_id": _TEXT,
                        "name_en": _TEXT,
                        "is_health": {"type": "boolean"},
                        "sort_order": {"type": "integer"},
                    }
                ),
            },
            "actors": {
                "type": "array",
                "items": _object(
                    {
                        "region": _TEXT,
                        "name": _TEXT,
                        "short_name": _TEXT,
                        "kind": _TEXT,
                        "sector": _TEXT,
                        "government_level": {"type": "integer"},
                        "is_active": {"type": "boolean"},
                    }
                ),
            },
            "programme": programme,
            "round": _object(
                {
                    "region": _TEXT,
                    "name": _TEXT,
                    "period_start": _TEXT,
                    "period_end": _TEXT,
                    "status": _TEXT,
                }
            ),
            "pairs": {"type": "array", "items": _object(pair)},
        }
    )


# Refusals --------------------------------------------------------------------------------

SECTIONS = (
    "file",
    "regions",
    "sectors",
    "actors",
    "programme",
    "participants",
    "round",
    "members",
    "pairs",
)


@dataclass(frozen=True)
class FileError:
    """One reason a file cannot be restored: where (the file's section, the row in it
    numbered from 1, the record of a pair's history, the field) and what is wrong."""

    section: str
    row: int | None
    field: str
    message: str
    history: int | None = None

    def __str__(self):
        where = [_("section %(section)s") % {"section": self.section}]
        if self.row is not None:
            where.append(_("row %(row)d") % {"row": self.row})
        if self.history is not None:
            where.append(_("history record %(number)d") % {"number": self.history})
        if self.field:
            where.append(_("field %(field)s") % {"field": self.field})
        return f"{', '.join(where)}: {self.message}"

    @property
    def sort_key(self):
        order = SECTIONS.index(self.section) if self.section in SECTIONS else len(SECTIONS)
        return (order, self.row or 0, self.history or 0, self.field)


def _refuse(errors: Iterable[FileError]) -> ImportRefused:
    return ImportRefused(sorted(set(errors), key=lambda error: error.sort_key))


def _not_a_round_export() -> ImportRefused:
    return _refuse([FileError("file", None, "", _("This file is not a round export."))])


class _Errors:
    """The refusals found so far, each tied to one row of one section."""

    def __init__(self):
        self.items: list[FileError] = []

    def __bool__(self):
        return bool(self.items)

    def add(self, section, row, field, message, *, history=None):
        self.items.append(FileError(section, row, field, str(message), history))

    def add_validation(self, section, row, error: ValidationError, *, history=None):
        """Every message of a model's or a service's ValidationError, by field."""
        if hasattr(error, "error_dict"):
            for field, items in error.error_dict.items():
                name = "" if field == NON_FIELD_ERRORS else field
                for item in items:
                    for message in item.messages:
                        self.add(section, row, name, message, history=history)
        else:
            for message in error.messages:
                self.add(section, row, "", message, history=history)


_TYPE_NAMES = {
    "string": gettext_lazy("text"),
    "integer": gettext_lazy("a whole number"),
    "boolean": gettext_lazy("true or false"),
    "array": gettext_lazy("a list"),
    "object": gettext_lazy("an object"),
    "null": "null",
}


def _either(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return _("%(first)s or %(second)s") % {"first": names[0], "second": names[1]}


def _locate(path) -> tuple[str, int | None, int | None, list]:
    """The section, row and history record a JSON path points into, and the rest of it."""
    path = list(path)
    if not path:
        return "file", None, None, []
    section = path.pop(0)
    if section == "programme" and path[:1] == ["participants"]:
        section = "participants"
        path.pop(0)
    row = path.pop(0) + 1 if path and isinstance(path[0], int) else None
    history = None
    if path[:1] == ["history"] and len(path) > 1 and isinstance(path[1], int):
        history = path[1] + 1
        path = path[2:]
    return section, row, history, path


def _shape_errors(data: dict, version: int) -> list[FileError]:
    """What is missing, extra or of the wrong type, in the user's language."""
    errors = []
    for error in Draft202012Validator(_schema(version)).iter_errors(data):
        section, row, history, rest = _locate(error.absolute_path)
        field = ".".join(str(part) for part in rest)
        if error.validator == "required":
            for key in error.validator_value:
                if key not in error.instance:
                    if section == "file":
                        errors.append(FileError(key, None, "", _("This part is missing.")))
                    else:
                        name = f"{field}.{key}" if field else key
                        errors.append(
                            FileError(section, row, name, _("This key is missing."), history)
                        )
            continue
        if error.validator == "additionalProperties":
            known = error.schema.get("properties", {})
            for key in sorted(set(error.instance) - set(known)):
                name = f"{field}.{key}" if field else key
                message = _("This key is not part of a round export.")
                errors.append(FileError(section, row, name, message, history))
            continue
        if error.validator == "type":
            types = error.validator_value
            names = [
                str(_TYPE_NAMES[name]) for name in ([types] if isinstance(types, str) else types)
            ]
            message = _("Expected %(type)s.") % {"type": _either(names)}
        elif error.validator in ("minItems", "maxItems"):
            message = _("Expected a list of %(count)d items.") % {"count": error.validator_value}
        elif error.validator == "minimum":
            message = _("Expected a number of at least %(minimum)d.") % {
                "minimum": error.validator_value
            }
        else:  # pragma: no cover - the schema above uses no other keyword
            message = error.message
        errors.append(FileError(section, row, field, message, history))
    return errors


# Restore ---------------------------------------------------------------------------------


def _actor_key(raw: list[str]) -> tuple[str, str]:
    return (normalize_region_code(raw[0]), raw[1])


@dataclass
class _Record:
    """A pair's values at one moment: the pair itself, or one record of its history."""

    values: dict
    scored_by: str | None
    scored_at: datetime
    version: int
    history_date: datetime | None = None
    history_user: str | None = None
    change_reason: str | None = None


@dataclass
class _Pair:
    number: int
    actor_a: tuple[str, str]
    actor_b: tuple[str, str]
    current: _Record
    history: list[_Record]


class _Restore:
    """Reads a file into unsaved objects, checking every row (``check``); then writes them
    in one transaction, with the checks that need the new rows' ids (``write``)."""

    def __init__(self, data: dict, user):
        self.data = data
        self.user = user
        self.errors = _Errors()
        self.regions: dict[str, Region] = {}
        self.sectors: dict[str, Sector] = {}
        self.actors: dict[tuple[str, str], Actor] = {}
        self.new: list = []  # unsaved regions, sectors and actors, parents first
        # Keys of rows refused on their own: a reference to one is not refused again.
        self.refused: set = set()
        self.programme: Programme | None = None
        self.participants: list[tuple[int, ProgrammeParticipant]] = []
        self.round: AssessmentRound | None = None
        self.pairs: list[_Pair] = []
        # The roster: (row number, actor key, unsaved frozen member or None).
        self.members: list[tuple[int | None, tuple[str, str], RoundMember | None]] = []
        # The mechanisms and factors, read once for every pair and history record.
        self.vocabularies = read_vocabularies()

    # Pass 1: every row on its own, nothing written ------------------------------------

    def check(self) -> None:
        self._check_regions()
        self._check_sectors()
        self._check_actors()
        self._check_programme()
        self._check_round()
        self._check_members()
        self._check_pairs()
        self._check_authority()
        if self.errors:
            raise _refuse(self.errors.items)

    def _region(self, section, number, field, code: str) -> Region | None:
        code = normalize_region_code(code)
        if code not in self.regions and ("region", code) not in self.refused:
            stored = Region.objects.filter(code=code).first()  # a region the file leaves out
            if stored is not None:
                self.regions[code] = stored
        region = self.regions.get(code)
        if region is None and ("region", code) not in self.refused:
            self.errors.add(
                section, number, field, _("No region with the code %(code)s.") % {"code": code}
            )
        return region

    def _actor(self, section, number, field, raw: list[str]) -> Actor | None:
        key = _actor_key(raw)
        actor = self.actors.get(key)
        if actor is None and ("actor", key) not in self.refused:
            self.errors.add(
                section,
                number,
                field,
                _("No actor named %(name)s in %(region)s among the actors of this file.")
                % {"name": key[1], "region": key[0]},
            )
        return actor

    def _check_regions(self) -> None:
        rows = list(enumerate(self.data["regions"], start=1))
        codes = {normalize_region_code(row["code"]) for _n, row in rows}
        codes |= {normalize_region_code(row["parent"]) for _n, row in rows if row["parent"]}
        stored = Region.objects.in_bulk(codes, field_name="code")
        seen: dict[str, int] = {}
        # Parents before their children, whatever the order of the file.
        for number, row in sorted(rows, key=lambda item: (item[1]["code"].count("."), item[0])):
            code = normalize_region_code(row["code"])
            if code in seen:
                self.errors.add(
                    "regions",
                    number,
                    "code",
                    _("The code %(code)s is already in row %(row)d.")
                    % {"code": code, "row": seen[code]},
                )
                continue
            seen[code] = number
            parent = None
            if row["parent"]:
                parent_code = normalize_region_code(row["parent"])
                parent = self.regions.get(parent_code) or stored.get(parent_code)
                if parent is None:
                    self.refused.add(("region", code))
                    if ("region", parent_code) not in self.refused:
                        self.errors.add(
                            "regions",
                            number,
                            "parent",
                            _("The parent region %(parent)s is neither in the file nor known yet.")
                            % {"parent": parent_code},
                        )
                    continue
            try:
                region = region_from_code(code, row["name"], parent=parent)
            except ValidationError as error:
                self.errors.add_validation("regions", number, error)
                self.refused.add(("region", code))
                continue
            if region.level != row["level"]:
                self.errors.add(
                    "regions",
                    number,
                    "level",
                    _("The code %(code)s is the code of a %(level)s.")
                    % {"code": code, "level": GovernmentLevel(region.level).label},
                )
                self.refused.add(("region", code))
                continue
            if code in stored:
                self.regions[code] = stored[code]
            else:
                self.regions[code] = region
                self.new.append(region)

    def _check_sectors(self) -> None:
        rows = self.data["sectors"]
        stored = Sector.objects.in_bulk({row["code"] for row in rows}, field_name="code")
        seen: dict[str, int] = {}
        for number, row in enumerate(rows, start=1):
            if row["code"] in seen:
                self.errors.add(
                    "sectors",
                    number,
                    "code",
                    _("The code %(code)s is already in row %(row)d.")
                    % {"code": row["code"], "row": seen[row["code"]]},
                )
                continue
            seen[row["code"]] = number
            sector = Sector(**row)
            try:
                sector.full_clean(validate_unique=False)
            except ValidationError as error:
                self.errors.add_validation("sectors", number, error)
                self.refused.add(("sector", row["code"]))
                continue
            if row["code"] in stored:
                self.sectors[row["code"]] = stored[row["code"]]
            else:
                self.sectors[row["code"]] = sector
                self.new.append(sector)

    def _check_actors(self) -> None:
        rows = self.data["actors"]
        stored = {
            (actor.home_region.code, actor.name): actor
            for actor in Actor.objects.filter(
                home_region__code__in={normalize_region_code(row["region"]) for row in rows},
                name__in={row["name"] for row in rows},
            ).select_related("home_region", "sector")
        }
        sectors_here = Sector.objects.in_bulk(
            {row["sector"] for row in rows} - set(self.sectors), field_name="code"
        )
        seen: dict[tuple[str, str], int] = {}
        for number, row in enumerate(rows, start=1):
            key = _actor_key([row["region"], row["name"]])
            refused = len(self.errors.items)
            region = self._region("actors", number, "region", row["region"])
            sector = self.sectors.get(row["sector"]) or sectors_here.get(row["sector"])
            if sector is None and ("sector", row["sector"]) not in self.refused:
                self.errors.add(
                    "actors",
                    number,
                    "sector",
                    _("No sector with the code %(code)s.") % {"code": row["sector"]},
                )
            actor = Actor(
                name=row["name"],
                short_name=row["short_name"],
                kind=row["kind"],
                government_level=row["government_level"],
                is_active=row["is_active"],
            )
            try:
                # The region and the sector were found above (or not); the rest is the model's.
                actor.full_clean(
                    exclude=["home_region", "sector"],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as error:
                self.errors.add_validation("actors", number, error)
            if key in seen:
                self.errors.add(
                    "actors",
                    number,
                    "name",
                    _("The same actor (name and region) is already in row %(row)d.")
                    % {"row": seen[key]},
                )
            seen.setdefault(key, number)
            if region is None or sector is None or len(self.errors.items) > refused:
                self.refused.add(("actor", key))
                continue
            if key in stored:
                self.actors[key] = stored[key]
            else:
                actor.home_region, actor.sector = region, sector
                self.actors[key] = actor
                self.new.append(actor)

    def _check_programme(self) -> None:
        row = self.data["programme"]
        if row is None:
            return
        region = self._region("programme", None, "region", row["region"])
        lead = None
        if row["lead_actor"]:
            lead = self._actor("programme", None, "lead_actor", row["lead_actor"])
        programme = Programme(
            name=row["name"],
            period_start=row["period_start"],
            period_end=row["period_end"],
            target_groups=row["target_groups"],
            description=row["description"],
        )
        try:
            programme.full_clean(exclude=["region", "lead_actor"], validate_unique=False)
        except ValidationError as error:
            self.errors.add_validation("programme", None, error)
        programme.region, programme.lead_actor = region, lead
        stored = None
        if region is not None and region.pk is not None:
            stored = Programme.objects.filter(region=region, name=row["name"]).first()
        self.programme = stored or programme
        seen: dict[tuple[str, str], int] = {}
        for number, item in enumerate(row["participants"], start=1):
            actor = self._actor("participants", number, "actor", item["actor"])
            participant = ProgrammeParticipant(**{k: v for k, v in item.items() if k != "actor"})
            try:
                participant.full_clean(
                    exclude=["programme", "actor"],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as error:
                self.errors.add_validation("participants", number, error)
            key = _actor_key(item["actor"])
            if key in seen:
                self.errors.add(
                    "participants",
                    number,
                    "actor",
                    _("This actor is already in row %(row)d.") % {"row": seen[key]},
                )
            seen.setdefault(key, number)
            participant.actor = actor
            if stored is None:  # an existing programme keeps its own participants
                self.participants.append((number, participant))

    def _check_authority(self) -> None:
        """A restore is a door like the others: the restorer administers the round's region
        and adds only what they could add by hand (regions below their own, actors of
        their jurisdiction, sectors only as a national admin)."""
        user = self.user
        if user is None:
            self.errors.add("file", None, "", _("Say who restores the round (a user name)."))
            return
        region = self.round.region if self.round and self.round.region_id else None
        if region is not None and not can_administer(user, region):
            self.errors.add(
                "round",
                None,
                "region",
                _("%(user)s may not manage the rounds of %(region)s.")
                % {"user": user.username, "region": region.name},
            )
        for instance in self.new:
            if isinstance(instance, Region) and not may_create_region(user, instance):
                self.errors.add(
                    "regions",
                    None,
                    "code",
                    _("%(user)s may not add the region %(code)s.")
                    % {"user": user.username, "code": instance.code},
                )
            elif isinstance(instance, Sector) and not manages_reference_data(user):
                self.errors.add(
                    "sectors",
                    None,
                    "code",
                    _("The sector %(code)s is not known here; only a national admin adds sectors.")
                    % {"code": instance.code},
                )
            elif isinstance(instance, Actor) and not can_administer(user, instance.home_region):
                self.errors.add(
                    "actors",
                    None,
                    "region",
                    _("%(user)s may not add actors to %(region)s.")
                    % {"user": user.username, "region": instance.home_region.name},
                )

    def _check_members(self) -> None:
        rows = self.data.get("members")
        if rows is None:
            # A file from before rosters: the round's actors were those of its pairs.
            keys = [
                _actor_key(row[side])
                for row in self.data["pairs"]
                for side in ("actor_a", "actor_b")
            ]
            self.members = [(None, key, None) for key in dict.fromkeys(keys)]
            return
        seen: dict[tuple[str, str], int] = {}
        region = self.round.region if self.round and self.round.region_id else None
        for number, row in enumerate(rows, start=1):
            actor = self._actor("members", number, "actor", row["actor"])
            key = _actor_key(row["actor"])
            if actor is not None and region is not None and not region.admits(actor.home_region):
                self.errors.add(
                    "members",
                    number,
                    "actor",
                    _(
                        "%(actor)s is not homed in %(region)s, below it or at a level above "
                        "it: it cannot be on this round's roster."
                    )
                    % {"actor": actor.name, "region": region.name},
                )
            if key in seen:
                self.errors.add(
                    "members",
                    number,
                    "actor",
                    _("This actor is already in row %(row)d.") % {"row": seen[key]},
                )
                continue
            seen[key] = number
            self.members.append((number, key, self._frozen_member(number, row)))
        roster = set(seen)
        for number, row in enumerate(self.data["pairs"], start=1):
            for side in ("actor_a", "actor_b"):
                if _actor_key(row[side]) not in roster:
                    self.errors.add(
                        "pairs", number, side, _("This actor is not on the round's roster.")
                    )

    def _frozen_member(self, number: int, row: dict) -> RoundMember | None:
        """What a member of a closed round was frozen as, checked like an actor."""
        if row["frozen_at"] is None:
            return None
        missing = [field for field in FROZEN_FIELDS if field not in row]
        if missing:
            self.errors.add(
                "members",
                number,
                missing[0],
                _("A frozen member gives what it was frozen as: %(fields)s are missing.")
                % {"fields": ", ".join(missing)},
            )
            return None
        try:
            moment = datetime.fromisoformat(row["frozen_at"])
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            self.errors.add(
                "members",
                number,
                "frozen_at",
                _("Write a date and time with its time zone (ISO 8601)."),
            )
        member = RoundMember(
            frozen_at=moment,
            name=row["name"],
            short_name=row["short_name"],
            kind=row["kind"],
            sector_is_health=row["sector_is_health"],
            government_level=row["government_level"],
        )
        try:
            member.full_clean(
                exclude=["round", "actor", "sector", "home_region", "frozen_at"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            self.errors.add_validation("members", number, error)
        member.home_region = self._region("members", number, "home_region", row["home_region"])
        member.sector = (
            self.sectors.get(row["sector"]) or Sector.objects.filter(code=row["sector"]).first()
        )
        if member.sector is None:
            self.errors.add(
                "members",
                number,
                "sector",
                _("No sector with the code %(code)s.") % {"code": row["sector"]},
            )
        return member

    def _check_round(self) -> None:
        row = self.data["round"]
        region = self._region("round", None, "region", row["region"])
        round_ = AssessmentRound(
            name=row["name"],
            period_start=row["period_start"],
            period_end=row["period_end"],
            status=row["status"],
        )
        try:
            round_.full_clean(exclude=["region", "programme"], validate_unique=False)
        except ValidationError as error:
            self.errors.add_validation("round", None, error)
        if (
            region is not None
            and region.pk is not None
            and AssessmentRound.objects.filter(region=region, name=row["name"]).exists()
        ):
            self.errors.add(
                "round",
                None,
                "name",
                _("A round named %(name)s already exists in %(region)s.")
                % {"name": row["name"], "region": region.name},
            )
        round_.region, round_.programme = region, self.programme
        self.round = round_

    def _moment(self, raw: str, number, field, history=None) -> datetime | None:
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            self.errors.add(
                "pairs",
                number,
                field,
                _("Expected a date and time with its time zone, such as %(example)s.")
                % {"example": "2026-03-01T09:30:00+08:00"},
                history=history,
            )
            return None
        return moment

    def _record(self, row: dict, number: int, history: int | None = None) -> _Record | None:
        """One pair's values (or one record of its history), checked by the scoring rules."""
        before = len(self.errors.items)
        values = None
        try:
            values = clean_pair_values(
                level=row["level"],
                note=row["note"],
                evidence=tuple(row[field] for field in EVIDENCE_FIELDS),
                mechanisms=row["mechanisms"],
                facilitating_factors=row["facilitating_factors"],
                hindering_factors=row["hindering_factors"],
                confirm_inconsistent=row["evidence_inconsistency_confirmed"],
                # The round held these codes: a term made inactive since comes back with
                # it; a code no term has is refused.
                held={name: row[name] for name in CHOICE_LIST_FIELDS},
                vocabularies=self.vocabularies,
            )
        except ValidationError as error:
            self.errors.add_validation("pairs", number, error, history=history)
        scored_at = self._moment(row["scored_at"], number, "scored_at", history)
        record = _Record(
            values=values,
            scored_by=row["scored_by"],
            scored_at=scored_at,
            version=row.get("version", 1),
        )
        try:  # the largest number the database holds
            PairAssessment._meta.get_field("version").run_validators(record.version)
        except ValidationError as error:
            for message in error.messages:
                self.errors.add("pairs", number, "version", message, history=history)
        if history is not None:
            record.history_date = self._moment(row["history_date"], number, "history_date", history)
            record.history_user = row["history_user"]
            record.change_reason = row["history_change_reason"]
            try:  # its length, which the database would refuse less kindly
                _HISTORICAL_PAIR._meta.get_field("history_change_reason").run_validators(
                    record.change_reason
                )
            except ValidationError as error:
                for message in error.messages:
                    self.errors.add(
                        "pairs", number, "history_change_reason", message, history=history
                    )
        return record if len(self.errors.items) == before else None

    def _check_pairs(self) -> None:
        seen: dict[frozenset, int] = {}
        for number, row in enumerate(self.data["pairs"], start=1):
            before = len(self.errors.items)
            self._actor("pairs", number, "actor_a", row["actor_a"])
            self._actor("pairs", number, "actor_b", row["actor_b"])
            key_a, key_b = _actor_key(row["actor_a"]), _actor_key(row["actor_b"])
            pair_key = frozenset((key_a, key_b))
            if pair_key in seen:
                self.errors.add(
                    "pairs",
                    number,
                    "",
                    _("This pair is already in row %(row)d.") % {"row": seen[pair_key]},
                )
            seen.setdefault(pair_key, number)
            current = self._record(row, number)
            history = [
                self._record(record, number, history=index)
                for index, record in enumerate(row.get("history", []), start=1)
            ]
            if len(self.errors.items) > before:
                continue
            self._check_history(number, current, history)
            self.pairs.append(_Pair(number, key_a, key_b, current, history))

    def _check_history(self, number: int, current: _Record, history: list[_Record]) -> None:
        for index, (earlier, later) in enumerate(zip(history, history[1:], strict=False), 2):
            if later.history_date < earlier.history_date:
                self.errors.add(
                    "pairs",
                    number,
                    "history_date",
                    _("This record is dated before the record above it."),
                    history=index,
                )
            if later.version < earlier.version:
                self.errors.add(
                    "pairs",
                    number,
                    "version",
                    _("This record holds an older version than the record above it."),
                    history=index,
                )
        if history and (
            history[-1].values != current.values or history[-1].version != current.version
        ):
            self.errors.add(
                "pairs",
                number,
                "history",
                _("The last record of the history does not hold the pair's current values."),
            )

    # Pass 2: write, with the checks that need ids -------------------------------------

    def _mark(self, instance) -> None:
        """The restore's user and reason on the history record that saving ``instance`` writes."""
        instance._history_user = self.user
        instance._change_reason = CHANGE_REASON

    def write(self) -> AssessmentRound:
        for instance in self.new:  # regions (parents first), sectors, actors
            self._mark(instance)
            instance.save()
        programme = self.programme
        if programme is not None and programme.pk is None:
            _refresh_keys(programme, "region", "lead_actor")
            try:
                programme.full_clean(validate_unique=False)  # the lead actor's region
            except ValidationError as error:
                self.errors.add_validation("programme", None, error)
            else:
                self._mark(programme)
                programme.save()
                for number, participant in self.participants:
                    participant.programme = programme
                    _refresh_keys(participant, "actor")
                    try:
                        participant.full_clean(validate_unique=False)  # the actor's region
                    except ValidationError as error:
                        self.errors.add_validation("participants", number, error)
                        continue
                    self._mark(participant)
                    participant.save()
        if self.errors:
            raise _refuse(self.errors.items)  # the transaction is rolled back
        round_ = self.round
        round_.programme = programme
        self._mark(round_)
        round_.save()

        roster = self._write_members(round_)
        assessments = []
        for pair in self.pairs:
            actor_a, actor_b = self.actors[pair.actor_a], self.actors[pair.actor_b]
            try:
                validate_pair(round=round_, actor_a=actor_a, actor_b=actor_b, members=roster)
            except ValidationError as error:
                self.errors.add_validation("pairs", pair.number, error)
                continue
            # Canonical order by this database's ids, which may differ from the source's.
            first, second = canonical_pair(actor_a, actor_b)
            assessments.append(
                PairAssessment(
                    round=round_,
                    actor_a=first,
                    actor_b=second,
                    **pair.current.values,
                    version=pair.current.version,
                )
            )
        if self.errors:
            raise _refuse(self.errors.items)  # the transaction is rolled back
        self._write_pairs(round_, assessments)
        refresh_round_summary(round_.pk)
        return round_

    def _write_members(self, round_) -> set[int]:
        """The roster, with one history record each, dated with the pairs' first record
        (so that ``?as_of=`` a day the pairs were scored finds their actors on it)."""
        members = []
        for _number, key, frozen in self.members:
            member = frozen or RoundMember()
            member.round, member.actor = round_, self.actors[key]
            _refresh_keys(member, "actor", "sector", "home_region")
            members.append(member)
        RoundMember.objects.bulk_create(members, batch_size=BATCH_SIZE)
        members = list(RoundMember.objects.filter(round=round_))
        dates = [
            record.history_date or record.scored_at
            for pair in self.pairs
            for record in (pair.history or [pair.current])
        ]
        moment = min(dates) if dates else timezone.now()
        _HISTORICAL_MEMBER.objects.bulk_create(
            [
                _HISTORICAL_MEMBER(
                    **{
                        field.attname: getattr(member, field.attname)
                        for field in RoundMember._meta.concrete_fields
                    },
                    history_date=min(moment, member.frozen_at or moment),
                    history_user=self.user,
                    history_change_reason=CHANGE_REASON,
                    history_type="+",
                )
                for member in members
            ],
            batch_size=BATCH_SIZE,
        )
        return {member.actor_id for member in members}

    def _write_pairs(self, round_, assessments: list[PairAssessment]) -> None:
        usernames = set()
        for pair in self.pairs:
            for record in [pair.current, *pair.history]:
                usernames |= {record.scored_by, record.history_user}
        users = get_user_model().objects.in_bulk(usernames - {None}, field_name="username")

        for assessment, pair in zip(assessments, self.pairs, strict=True):
            assessment.scored_by = users.get(pair.current.scored_by)
        PairAssessment.objects.bulk_create(assessments, batch_size=BATCH_SIZE)
        if any(assessment.pk is None for assessment in assessments):
            ids = {
                (a, b): pk
                for pk, a, b in PairAssessment.objects.filter(round=round_).values_list(
                    "pk", "actor_a_id", "actor_b_id"
                )
            }
            for assessment in assessments:
                assessment.pk = ids[(assessment.actor_a_id, assessment.actor_b_id)]
        # bulk_create stamps auto_now fields with the current time; put the originals back.
        for assessment, pair in zip(assessments, self.pairs, strict=True):
            assessment.scored_at = pair.current.scored_at
        PairAssessment.objects.bulk_update(assessments, ["scored_at"], batch_size=BATCH_SIZE)

        records = []
        for assessment, pair in zip(assessments, self.pairs, strict=True):
            history = pair.history or [
                # A version-1 file keeps no history: one record, as the pair was scored.
                _Record(
                    values=pair.current.values,
                    scored_by=pair.current.scored_by,
                    scored_at=pair.current.scored_at,
                    version=pair.current.version,
                    history_date=pair.current.scored_at,
                    history_user=pair.current.scored_by,
                    change_reason=CHANGE_REASON,
                )
            ]
            for index, record in enumerate(history):
                records.append(
                    _HISTORICAL_PAIR(
                        id=assessment.pk,
                        round_id=round_.pk,
                        actor_a_id=assessment.actor_a_id,
                        actor_b_id=assessment.actor_b_id,
                        **record.values,
                        scored_by=users.get(record.scored_by),
                        scored_at=record.scored_at,
                        version=record.version,
                        history_date=record.history_date,
                        history_user=users.get(record.history_user),
                        history_change_reason=record.change_reason,
                        history_type="+" if index == 0 else "~",
                    )
                )
        _HISTORICAL_PAIR.objects.bulk_create(records, batch_size=BATCH_SIZE)


_HISTORICAL_PAIR = PairAssessment.history.model
_HISTORICAL_MEMBER = RoundMember.history.model


def _refresh_keys(instance, *fields: str) -> None:
    """Take the ids of related objects saved since they were assigned (``full_clean``
    reads the ids; only ``save`` would have taken them itself)."""
    for field in fields:
        setattr(instance, field, getattr(instance, field))


def _read(data) -> int:
    """The file's format version, once the file is known to be a round export of a
    version this application reads, in the expected shape."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _not_a_round_export()
    version = data.get("version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        raise _refuse(
            [
                FileError(
                    "file",
                    None,
                    "version",
                    _(
                        "This export has format version %(version)s; this application reads "
                        "versions %(versions)s."
                    )
                    % {
                        "version": version,
                        "versions": ", ".join(str(item) for item in READABLE_VERSIONS),
                    },
                )
            ]
        )
    errors = _shape_errors(data, version)
    if errors:
        raise _refuse(errors)
    return version


@transaction.atomic
def restore_round(*, data, user) -> AssessmentRound:
    """Rebuild a round from ``export_round`` output, as it was (a closed round restores
    closed), with its pairs' versions and history. ``user`` (who restores) must
    administer the round's region; they are kept in the history records the restore writes.

    Reference data that already exists (same region code, sector code, actor name in its
    region, programme name in its region) is reused; a round of the same name in the same
    region is refused. Raises ImportRefused, listing every problem by section, row and
    field, for a file that is not a valid round export; nothing is written then.
    """
    _read(data)
    restore = _Restore(data, user)
    restore.check()
    return restore.write()
