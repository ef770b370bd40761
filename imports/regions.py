"""Import and export regions: ``code,name`` rows, dotted or undotted Kemendagri codes.

Each parent comes from the code; the header row may be left out (Kemendagri lists have
none). Rows are matched on the code, so importing the same file twice changes nothing.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import access_for, visible_regions
from actors.models import (
    NATIONAL_CODE,
    GovernmentLevel,
    Region,
    level_for_code,
    normalize_region_code,
    parent_code_for,
    region_from_code,
)
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

REGION_COLUMNS = (
    Column(
        "code",
        gettext_lazy("Code"),
        help=gettext_lazy(
            "the Kemendagri code, dotted or not (72.10 or 7210); the region above it comes "
            "from the code and must exist or be in the file."
        ),
    ),
    Column("name", gettext_lazy("Name"), help=gettext_lazy("the region's name.")),
)


class RegionImporter(Importer):
    kind = "regions"
    label = gettext_lazy("Regions (code, name)")
    columns = REGION_COLUMNS

    def make_plan(self, table: Table, *, user, round=None, lock=False) -> ImportPlan:
        """Create or rename regions from ``code,name`` rows; each parent comes from the code."""
        access = access_for(user)
        code_index, name_index, rows = _region_rows(table)
        if not rows:
            raise refuse(_("The file has no rows below its header."))
        plan = ImportPlan(kind=self.kind, columns=self.columns)
        errors = plan.errors
        wanted: dict[str, tuple[int, str]] = {}
        for number, cells in rows:
            raw_code, name = cell(cells, code_index), cell(cells, name_index)
            code = normalize_region_code(raw_code)
            if level_for_code(code) is None:
                errors.append(
                    RowError(
                        number,
                        _(
                            "%(code)s is not a Kemendagri code (72, 72.03, 72.03.01 or "
                            "72.03.01.2001)."
                        )
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
            check_name(name_errors, number, "name", name)
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
        for code in sorted(wanted, key=lambda item: (level_for_code(item), item)):
            number, name = wanted[code]
            values = {"code": code, "name": name}
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
                    old_name, existing.name = existing.name, name
                    try:
                        existing.clean_fields(exclude=["parent"])
                    except ValidationError as error:
                        errors.extend(
                            RowError(number, msg, key) for key, msg in field_messages(error)
                        )
                        continue
                    renamed.append(existing)
                    plan.rows.append(PlannedRow(number, UPDATE, values, {"name": old_name}))
                else:
                    plan.rows.append(PlannedRow(number, UNCHANGED, values))
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
                errors.extend(RowError(number, msg, key) for key, msg in field_messages(error))
                continue
            known[code] = region
            new.append(region)
            plan.rows.append(PlannedRow(number, CREATE, values))
        plan.rows.sort(key=lambda row: row.number)

        def write():
            for level in GovernmentLevel:
                # A parent saved in an earlier batch lends its new id to its children here.
                batch = [region for region in new if region.level == level]
                bulk_create(Region, batch, user=user)
                _fill_missing_pks(batch)
            bulk_update(Region, renamed, ["name"], user=user)

        plan.write = write
        return plan

    def template(self, *, user, round=None) -> bytes:
        example = visible_regions(user).order_by("code").first()
        return workbook_bytes(
            Template(
                title=_("Template: regions"),
                columns=[
                    TemplateColumn(str(column.label), width=18 if column.key == "code" else 40)
                    for column in self.columns
                ],
                rows=[[example.code, example.name] if example else ["72.10.01", "Sigi Biromaru"]],
                instructions=self.instructions(),
            )
        )


IMPORTER = RegionImporter()


def import_regions(*, data: bytes, user, dry_run: bool = False) -> ImportPlan:
    return execute(IMPORTER, data=data, user=user, dry_run=dry_run)


def _region_rows(table: Table) -> tuple[int, int, list[tuple[int, list[str]]]]:
    """Column indexes and data rows; the header row is optional (Kemendagri lists have none)."""
    first = normalize_region_code(table.header[0] if table.header else "")
    if level_for_code(first) is not None:
        return 0, 1, [(1, table.header), *table.rows]
    columns = find_columns(table, REGION_COLUMNS)
    return columns["code"], columns["name"], table.rows


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
    return [column.key for column in REGION_COLUMNS], rows
