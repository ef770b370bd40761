"""Import and export actors: name, short name, kind, sector, government level, home
region's code and (optionally) whether it is active.

Each import reads the whole file and checks every row first; one bad row refuses the file
and nothing is written. Rows are matched on their natural key (the home region and the
name), so importing the same file twice changes nothing the second time.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import access_for
from actors.models import (
    Actor,
    GovernmentLevel,
    Region,
    Sector,
    normalize_region_code,
)
from assessments.rounds import withdraw_inactive_members
from imports import vocabulary
from imports.bulk import bulk_create, bulk_update
from imports.plan import (
    Column,
    ImportResult,
    check_name,
    field_messages,
    find_columns,
    raise_if,
    require_admin,
)
from imports.tabular import RowError, cell, read_table, refuse

ACTOR_COLUMNS = (
    Column("name", gettext_lazy("Name")),
    Column("short_name", gettext_lazy("Short name")),
    Column("kind", gettext_lazy("Kind")),
    Column("sector", gettext_lazy("Sector")),
    Column("government_level", gettext_lazy("Government level")),
    Column("region_code", gettext_lazy("Region code")),
    Column("active", gettext_lazy("Active"), required=False),
)


@transaction.atomic
def import_actors(*, data: bytes, user) -> ImportResult:
    """Create or update actors from rows of name, short name, kind, sector, level, region."""
    require_admin(user)
    access = access_for(user)
    table = read_table(data)
    columns = find_columns(table, ACTOR_COLUMNS)
    if not table.rows:
        raise refuse(_("The file has no rows below its header."))
    kinds, sectors, levels, yes_no = (
        vocabulary.actor_kinds(),
        vocabulary.sectors(),
        vocabulary.government_levels(),
        vocabulary.yes_no(),
    )
    sector_by_code = {sector.code: sector for sector in Sector.objects.all()}
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
        kind, problem = kinds.parse(values["kind"])
        if problem:
            row_errors.append(RowError(number, problem, "kind"))
        sector_code, problem = sectors.parse(values["sector"])
        if problem:
            row_errors.append(RowError(number, problem, "sector"))
        sector = sector_by_code.get(sector_code)
        level, problem = levels.parse(values["government_level"])
        if problem:
            row_errors.append(RowError(number, problem, "government_level"))
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
            active, problem = yes_no.parse(values["active"])
            if problem:
                row_errors.append(RowError(number, problem, "active"))
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
    header = [column.key for column in ACTOR_COLUMNS]
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
