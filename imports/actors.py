"""Import and export actors: name, short name, kind, sector, government level, home
region's code and (optionally) whether it is active.

Each import reads the whole file and checks every row first; one bad row refuses the file
and nothing is written. Rows are matched on their natural key (the home region and the
name), so importing the same file twice changes nothing the second time.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.scoping import access_for
from actors.models import (
    Actor,
    ActorKind,
    GovernmentLevel,
    Region,
    Sector,
    normalize_region_code,
)
from assessments.rounds import withdraw_inactive_members
from imports.bulk import bulk_create, bulk_update
from imports.plan import ImportResult, check_name, field_messages, raise_if, require_admin
from imports.tabular import RowError, cell, columns_by_name, read_table, refuse

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
        check_name(row_errors, number, "name", values["name"])
        check_name(row_errors, number, "short_name", values["short_name"])
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
            errors.extend(RowError(number, msg, key) for key, msg in field_messages(error))
            continue
        if before is None:
            new.append(actor)
        elif _actor_values(actor) != before:
            changed.append(actor)
        else:
            unchanged += 1
    raise_if(errors)
    bulk_create(Actor, new, user=user)
    bulk_update(
        Actor, changed, ["short_name", "kind", "sector", "government_level", "is_active"], user=user
    )
    # Bulk writes send no signal: the deactivated actors leave the open rounds' rosters here.
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
