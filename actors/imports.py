"""Bulk import and export of regions and actors (CSV or XLSX), for admins.

The admin page, the ``import_data`` command and the API all call these functions. Each
import reads the whole file and checks every row first; one bad row refuses the file and
nothing is written. Rows are matched on their natural key (a region's code; an actor's
home region and name), so importing the same file twice changes nothing the second time.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scoping import access_for
from actors.models import (
    NATIONAL_CODE,
    Actor,
    ActorKind,
    GovernmentLevel,
    Region,
    Sector,
    level_for_code,
    normalize_region_code,
)
from convergence.validators import unsafe_text_message
from imports.bulk import bulk_create, bulk_update
from imports.tabular import (
    ImportRefused,
    RowError,
    Table,
    cell,
    columns_by_name,
    read_table,
    refuse,
)

REGION_COLUMNS = ("code", "name")
ACTOR_COLUMNS = ("name", "short_name", "kind", "sector", "government_level", "region_code")
ACTOR_OPTIONAL_COLUMNS = ("active",)

# Words accepted for a government level besides its number (0-4); the export writes the
# English key, which reads back as the same level.
LEVEL_WORDS = {
    **{level.name.lower(): level for level in GovernmentLevel},
    "pusat": GovernmentLevel.NATIONAL,
    "provinsi": GovernmentLevel.PROVINCE,
    "kabupaten": GovernmentLevel.DISTRICT,
    "kota": GovernmentLevel.DISTRICT,
    "kabupaten/kota": GovernmentLevel.DISTRICT,
    "kecamatan": GovernmentLevel.SUBDISTRICT,
    "desa": GovernmentLevel.VILLAGE,
    "kelurahan": GovernmentLevel.VILLAGE,
    "desa/kelurahan": GovernmentLevel.VILLAGE,
}
YES = {"yes", "ya", "y", "true", "1"}
NO = {"no", "tidak", "n", "false", "0"}


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def require_admin(user) -> None:
    if not access_for(user).has_role(Role.ADMIN):
        raise PermissionDenied(_("Only admins may import regions and actors."))


def parent_code_for(code: str) -> str | None:
    """The code of the region directly above ``code`` (provinces sit below the nation)."""
    if code == NATIONAL_CODE:
        return None
    if "." not in code:
        return NATIONAL_CODE
    return code.rsplit(".", 1)[0]


def region_from_code(code: str, name: str, *, parent: Region | None) -> Region:
    """An unsaved region whose level comes from its code, checked by ``Region.clean``.

    Raises ValidationError keyed by field. A province may stand without a parent while no
    national region exists (as the demo data and every installation so far keep them).
    """
    region = Region(code=normalize_region_code(code), name=name.strip(), parent=parent)
    region.level = level_for_code(region.code)
    errors = {}
    try:
        region.clean_fields(exclude=["parent", "level"])
    except ValidationError as error:
        errors.update(error.error_dict)
    try:
        region.clean()
    except ValidationError as error:
        for key, messages in error.error_dict.items():
            if key == "parent" and region.level == GovernmentLevel.PROVINCE and parent is None:
                continue
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return region


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    """(field, message) pairs of a ValidationError, "" for the non-field ones."""
    if hasattr(error, "error_dict"):
        return [
            (key, message)
            for key, items in error.error_dict.items()
            for item in items
            for message in item.messages
        ]
    return [("", message) for message in error.messages]


def _raise_if(errors: list[RowError]) -> None:
    if errors:
        raise ImportRefused(sorted(errors, key=lambda error: (error.row or 0, error.column)))


def _check_name(errors, number, column, value, *, required=True) -> None:
    if not value:
        if required:
            errors.append(RowError(number, _("This cell is empty."), column))
        return
    problem = unsafe_text_message(value)
    if problem:
        errors.append(RowError(number, problem, column))


# Regions ---------------------------------------------------------------------------------


def _region_rows(table: Table) -> tuple[int, int, list[tuple[int, list[str]]]]:
    """Column indexes and data rows; the header row is optional (Kemendagri lists have none)."""
    first = normalize_region_code(table.header[0] if table.header else "")
    if level_for_code(first) is not None:
        return 0, 1, [(1, table.header), *table.rows]
    columns = columns_by_name(table, REGION_COLUMNS)
    return columns["code"], columns["name"], table.rows


@transaction.atomic
def import_regions(*, data: bytes, user) -> ImportResult:
    """Create or rename regions from ``code,name`` rows; each parent comes from the code."""
    require_admin(user)
    access = access_for(user)
    code_index, name_index, rows = _region_rows(read_table(data))
    if not rows:
        raise refuse(_("The file has no rows below its header."))
    errors: list[RowError] = []
    wanted: dict[str, tuple[int, str]] = {}
    for number, cells in rows:
        raw_code, name = cell(cells, code_index), cell(cells, name_index)
        code = normalize_region_code(raw_code)
        if level_for_code(code) is None:
            errors.append(
                RowError(
                    number,
                    _("%(code)s is not a Kemendagri code (72, 72.03, 72.03.01 or 72.03.01.2001).")
                    % {"code": raw_code or "—"},
                    "code",
                )
            )
            continue
        if code in wanted:
            errors.append(
                RowError(
                    number,
                    _("The code %(code)s is already in row %(row)d.")
                    % {"code": code, "row": wanted[code][0]},
                    "code",
                )
            )
            continue
        name_errors: list[RowError] = []
        _check_name(name_errors, number, "name", name)
        if name_errors:
            errors.extend(name_errors)
            continue
        wanted[code] = (number, name)

    parent_codes = {parent_code_for(code) for code in wanted} - {None}
    stored = Region.objects.in_bulk(set(wanted) | parent_codes, field_name="code")
    # Parents first, so that each child is checked against its parent (stored or new).
    known: dict[str, Region] = dict(stored)
    new: list[Region] = []
    renamed: list[Region] = []
    unchanged = 0
    for code in sorted(wanted, key=lambda item: (level_for_code(item), item)):
        number, name = wanted[code]
        existing = stored.get(code)
        if not access.covers(existing or Region(code=code, level=level_for_code(code))):
            errors.append(
                RowError(
                    number,
                    _("The region %(code)s is outside your jurisdiction.") % {"code": code},
                    "code",
                )
            )
            continue
        if existing is not None:
            if existing.name != name:
                existing.name = name
                try:
                    existing.clean_fields(exclude=["parent"])
                except ValidationError as error:
                    errors.extend(RowError(number, msg, key) for key, msg in _messages(error))
                    continue
                renamed.append(existing)
            else:
                unchanged += 1
            continue
        parent_code = parent_code_for(code)
        parent = known.get(parent_code) if parent_code else None
        if parent is None and parent_code and parent_code != NATIONAL_CODE:
            errors.append(
                RowError(
                    number,
                    _("The parent region %(parent)s is neither in the file nor known yet.")
                    % {"parent": parent_code},
                    "code",
                )
            )
            continue
        try:
            region = region_from_code(code, name, parent=parent)
        except ValidationError as error:
            errors.extend(RowError(number, msg, key) for key, msg in _messages(error))
            continue
        known[code] = region
        new.append(region)
    _raise_if(errors)

    for level in GovernmentLevel:
        # A parent saved in an earlier batch lends its new id to its children here.
        batch = [region for region in new if region.level == level]
        bulk_create(Region, batch, user=user)
        _fill_missing_pks(batch)
    bulk_update(Region, renamed, ["name"], user=user)
    return ImportResult(created=len(new), updated=len(renamed), unchanged=unchanged)


def _fill_missing_pks(regions: list[Region]) -> None:
    """Databases that cannot return ids from a bulk insert: read them back by code."""
    missing = [region for region in regions if region.pk is None]
    if missing:
        ids = dict(
            Region.objects.filter(code__in=[r.code for r in missing]).values_list("code", "pk")
        )
        for region in missing:
            region.pk = ids[region.code]
            region._state.adding = False


def export_regions(regions) -> tuple[list[str], list[list]]:
    """``code,name`` rows of ``regions`` (a queryset already limited to a jurisdiction)."""
    rows = [[code, name] for code, name in regions.order_by("code").values_list("code", "name")]
    return list(REGION_COLUMNS), rows


# Actors ----------------------------------------------------------------------------------


def _sector_lookup() -> dict[str, Sector]:
    lookup = {}
    for sector in Sector.objects.all():
        for key in (sector.name_id, sector.name_en, sector.code):
            lookup[key.strip().casefold()] = sector
    return lookup


def _parse_government_level(raw: str) -> GovernmentLevel | None:
    value = raw.strip().casefold()
    if value.isdigit() and int(value) in GovernmentLevel.values:
        return GovernmentLevel(int(value))
    return LEVEL_WORDS.get(value)


@transaction.atomic
def import_actors(*, data: bytes, user) -> ImportResult:
    """Create or update actors from rows of name, short name, kind, sector, level, region."""
    require_admin(user)
    access = access_for(user)
    table = read_table(data)
    columns = columns_by_name(table, ACTOR_COLUMNS, ACTOR_OPTIONAL_COLUMNS)
    if not table.rows:
        raise refuse(_("The file has no rows below its header."))
    sectors = _sector_lookup()
    codes = {normalize_region_code(cell(cells, columns["region_code"])) for _n, cells in table.rows}
    regions = Region.objects.in_bulk(codes, field_name="code")
    existing = {
        (actor.home_region_id, actor.name): actor
        for actor in Actor.objects.filter(home_region__in=regions.values())
    }
    errors: list[RowError] = []
    seen: dict[tuple[int, str], int] = {}
    new: list[Actor] = []
    changed: list[Actor] = []
    unchanged = 0
    for number, cells in table.rows:
        values = {name: cell(cells, index) for name, index in columns.items()}
        row_errors: list[RowError] = []
        _check_name(row_errors, number, "name", values["name"])
        _check_name(row_errors, number, "short_name", values["short_name"])
        kind = values["kind"].strip().lower()
        if kind not in ActorKind.values:
            row_errors.append(
                RowError(
                    number,
                    _("Unknown kind %(kind)s: use one of %(kinds)s.")
                    % {"kind": values["kind"] or "—", "kinds": ", ".join(ActorKind.values)},
                    "kind",
                )
            )
        sector = sectors.get(values["sector"].strip().casefold())
        if sector is None:
            row_errors.append(
                RowError(
                    number,
                    _("Unknown sector %(sector)s: use a sector code such as %(codes)s.")
                    % {
                        "sector": values["sector"] or "—",
                        "codes": ", ".join(sorted({s.code for s in sectors.values()})),
                    },
                    "sector",
                )
            )
        level = _parse_government_level(values["government_level"])
        if level is None:
            row_errors.append(
                RowError(
                    number,
                    _("Unknown government level %(level)s: use 0-4 or %(words)s.")
                    % {
                        "level": values["government_level"] or "—",
                        "words": ", ".join(level.name.lower() for level in GovernmentLevel),
                    },
                    "government_level",
                )
            )
        code = normalize_region_code(values["region_code"])
        region = regions.get(code)
        if region is None:
            row_errors.append(
                RowError(
                    number,
                    _("No region with the code %(code)s.") % {"code": values["region_code"] or "—"},
                    "region_code",
                )
            )
        elif not access.covers(region):
            row_errors.append(
                RowError(
                    number,
                    _("The region %(code)s is outside your jurisdiction.") % {"code": code},
                    "region_code",
                )
            )
        active = None
        if "active" in columns and values["active"]:
            flag = values["active"].strip().casefold()
            if flag in YES | NO:
                active = flag in YES
            else:
                row_errors.append(RowError(number, _("Write yes or no in this column."), "active"))
        if row_errors:
            errors.extend(row_errors)
            continue
        key = (region.pk, values["name"])
        if key in seen:
            errors.append(
                RowError(
                    number,
                    _("The same actor (name and region) is already in row %(row)d.")
                    % {"row": seen[key]},
                    "name",
                )
            )
            continue
        seen[key] = number
        actor = existing.get(key) or Actor(name=values["name"], home_region=region)
        before = _actor_values(actor) if actor.pk else None
        actor.short_name = values["short_name"]
        actor.kind = kind
        actor.sector = sector
        actor.government_level = level
        if active is not None:
            actor.is_active = active
        try:
            # The model's own field rules (lengths, choices); the keys were resolved above.
            actor.clean_fields(exclude=["sector", "home_region"])
        except ValidationError as error:
            errors.extend(RowError(number, msg, key) for key, msg in _messages(error))
            continue
        if before is None:
            new.append(actor)
        elif _actor_values(actor) != before:
            changed.append(actor)
        else:
            unchanged += 1
    _raise_if(errors)
    bulk_create(Actor, new, user=user)
    bulk_update(
        Actor, changed, ["short_name", "kind", "sector", "government_level", "is_active"], user=user
    )
    from assessments.rounds import withdraw_inactive_members  # bulk writes send no signal

    withdraw_inactive_members(actor.pk for actor in changed if not actor.is_active)
    return ImportResult(created=len(new), updated=len(changed), unchanged=unchanged)


def _actor_values(actor: Actor) -> tuple:
    return (
        actor.short_name,
        actor.kind,
        actor.sector_id,
        actor.government_level,
        actor.is_active,
    )


def export_actors(actors) -> tuple[list[str], list[list]]:
    """Rows of ``actors`` (a queryset already limited to a jurisdiction) as the import reads."""
    header = [*ACTOR_COLUMNS, *ACTOR_OPTIONAL_COLUMNS]
    rows = [
        [
            actor.name,
            actor.short_name,
            actor.kind,
            actor.sector.code,
            GovernmentLevel(actor.government_level).name.lower(),
            actor.home_region.code,
            "yes" if actor.is_active else "no",
        ]
        for actor in actors.select_related("sector", "home_region").order_by(
            "home_region__code", "name"
        )
    ]
    return header, rows
