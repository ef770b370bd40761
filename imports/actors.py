"""Import and export actors: name, short name, kind, sector, government level, home
region's code and (optionally) whether it is active.

Each import reads the whole file and checks every row first; one bad row refuses the file
and nothing is written. Rows are matched on their natural key (the home region and the
name), so importing the same file twice changes nothing the second time.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.scoping import access_for, scope, visible_regions
from actors.models import (
    Actor,
    ActorKind,
    GovernmentLevel,
    Region,
    Sector,
    normalize_region_code,
)
from assessments.rounds import withdraw_inactive_members
from imports import vocabulary
from imports.bulk import bulk_create, bulk_update
from imports.plan import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Column,
    Importer,
    ImportPlan,
    PlannedRow,
    check_name,
    execute,
    field_messages,
    find_columns,
)
from imports.tabular import RowError, Table, cell, refuse
from imports.xlsx_templates import Template, TemplateColumn, workbook_bytes

ACTOR_COLUMNS = (
    Column(
        "name",
        gettext_lazy("Name"),
        help=gettext_lazy(
            "the organisation's full name; with the region code it names the actor, so a "
            "row with a known name and region changes that actor."
        ),
    ),
    Column(
        "short_name",
        gettext_lazy("Short name"),
        help=gettext_lazy("as people say it (Dinkes, Bappeda)."),
    ),
    Column("kind", gettext_lazy("Kind"), help=gettext_lazy("from the list.")),
    Column("sector", gettext_lazy("Sector"), help=gettext_lazy("from the list.")),
    Column(
        "government_level", gettext_lazy("Government level"), help=gettext_lazy("from the list.")
    ),
    Column(
        "region_code",
        gettext_lazy("Region code"),
        help=gettext_lazy(
            "the Kemendagri code of the actor's home region (the codes are listed on the "
            "sheet of lists)."
        ),
    ),
    Column(
        "active",
        gettext_lazy("Active"),
        required=False,
        help=gettext_lazy("yes or no; an inactive actor leaves the rosters of open rounds."),
    ),
)
# A template lists at most this many region codes for reference.
TEMPLATE_REGIONS = 5000


# What an update may change (the name and the home region are the key).
_UPDATED_FIELDS = ["short_name", "kind", "sector", "government_level", "is_active"]


class ActorImporter(Importer):
    kind = "actors"
    label = gettext_lazy("Actors (name, short name, kind, sector, government level, region code)")
    columns = ACTOR_COLUMNS

    def make_plan(self, table: Table, *, user, round=None, lock=False) -> ImportPlan:
        """Create or update actors from rows of name, short name, kind, sector, level,
        region and (optionally) active."""
        access = access_for(user)
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
        codes = {
            normalize_region_code(cell(cells, columns["region_code"])) for _n, cells in table.rows
        }
        regions = Region.objects.in_bulk(codes, field_name="code")
        existing = {
            (actor.home_region_id, actor.name): actor
            for actor in Actor.objects.filter(home_region__in=regions.values()).select_related(
                "sector", "home_region"
            )
        }
        plan = ImportPlan(kind=self.kind, columns=self.columns, describe=_describer(sector_by_code))
        errors = plan.errors
        seen: dict[tuple[int, str], int] = {}
        new: list[Actor] = []
        changed: list[Actor] = []
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
            level, problem = levels.parse(values["government_level"])
            if problem:
                row_errors.append(RowError(number, problem, "government_level"))
            code = normalize_region_code(values["region_code"])
            region = regions.get(code)
            if region is None:
                row_errors.append(
                    RowError(
                        number,
                        _("No region with the code %(code)s.")
                        % {"code": values["region_code"] or "—"},
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
            actor.sector = sector_by_code[sector_code]
            actor.government_level = level
            if active is not None:
                actor.is_active = active
            try:
                # The model's own field rules (lengths, choices); the keys were resolved above.
                actor.clean_fields(exclude=["sector", "home_region"])
            except ValidationError as error:
                errors.extend(RowError(number, msg, key) for key, msg in field_messages(error))
                continue
            after = _actor_values(actor)
            if before is None:
                new.append(actor)
                plan.rows.append(PlannedRow(number, CREATE, after))
            elif after != before:
                changed.append(actor)
                old = {key: value for key, value in before.items() if after[key] != value}
                plan.rows.append(PlannedRow(number, UPDATE, after, old))
            else:
                plan.rows.append(PlannedRow(number, UNCHANGED, after))
        deactivated = [
            row for row in plan.rows if row.action == UPDATE and row.before.get("active") is True
        ]
        if deactivated:
            plan.notes.append(
                ngettext(
                    "%(count)d actor will be deactivated: it leaves the rosters of the open "
                    "rounds it is on, and its pairs there are no longer counted.",
                    "%(count)d actors will be deactivated: they leave the rosters of the open "
                    "rounds they are on, and their pairs there are no longer counted.",
                    len(deactivated),
                )
                % {"count": len(deactivated)}
            )

        def write():
            bulk_create(Actor, new, user=user)
            bulk_update(Actor, changed, _UPDATED_FIELDS, user=user)
            # Bulk writes send no signal: the deactivated actors leave the open rounds'
            # rosters here.
            withdraw_inactive_members(actor.pk for actor in changed if not actor.is_active)

        plan.write = write
        return plan

    def template(self, *, user, round=None) -> bytes:
        sectors = list(Sector.objects.all())
        choices = {
            "kind": [str(kind.label) for kind in ActorKind],
            "sector": [str(sector) for sector in sectors],
            "government_level": [str(level.label) for level in GovernmentLevel],
            "active": [str(vocabulary.YES_LABEL), str(vocabulary.NO_LABEL)],
        }
        regions = list(visible_regions(user).order_by("code")[:TEMPLATE_REGIONS])
        example = (
            scope(Actor.objects, user)
            .select_related("sector", "home_region")
            .order_by("home_region__code", "name")
            .first()
        )
        if example is not None:
            values = _actor_values(example)
        else:
            values = {
                "name": _("Dinas Kesehatan (the full name)"),
                "short_name": "Dinkes",
                "kind": ActorKind.GOVERNMENT,
                "sector": sectors[0].code if sectors else "",
                "government_level": GovernmentLevel.DISTRICT,
                "region_code": regions[-1].code if regions else "",
                "active": True,
            }
        describe = _describer({sector.code: sector for sector in sectors})
        return workbook_bytes(
            Template(
                title=_("Template: actors"),
                columns=[
                    TemplateColumn(
                        str(column.label),
                        width=44 if column.key in ("name", "kind", "sector") else 20,
                        choices=choices.get(column.key),
                    )
                    for column in self.columns
                ],
                rows=[[describe(column.key, values[column.key]) for column in self.columns]],
                instructions=self.instructions(),
                references=[
                    (_("Regions (code, name)"), [[region.code, region.name] for region in regions])
                ],
            )
        )


IMPORTER = ActorImporter()


def import_actors(*, data: bytes, user, dry_run: bool = False) -> ImportPlan:
    return execute(IMPORTER, data=data, user=user, dry_run=dry_run)


def _describer(sector_by_code: dict[str, Sector]):
    """How the preview shows a planned value, in the user's language."""

    def describe(key: str, value) -> str:
        if key == "kind":
            return vocabulary.label_of(ActorKind, value)
        if key == "government_level":
            return vocabulary.label_of(GovernmentLevel, value)
        if key == "active":
            return str(vocabulary.YES_LABEL if value else vocabulary.NO_LABEL)
        if key == "sector":
            return str(sector_by_code.get(value, value))
        return str(value)

    return describe


def _actor_values(actor: Actor) -> dict:
    """An actor as the plan shows it: the file's columns, stored values."""
    return {
        "name": actor.name,
        "short_name": actor.short_name,
        "kind": actor.kind,
        "sector": actor.sector.code,
        "government_level": int(actor.government_level),
        "region_code": actor.home_region.code,
        "active": actor.is_active,
    }


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
