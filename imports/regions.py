"""Import and export regions: ``code,name`` rows, dotted or undotted Kemendagri codes.

Each parent comes from the code; the header row may be left out (Kemendagri lists have
none). Rows are matched on the code, so importing the same file twice changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.scoping import access_for
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
from imports.plan import ImportResult, check_name, field_messages, raise_if, require_admin
from imports.tabular import RowError, Table, cell, columns_by_name, read_table, refuse

REGION_COLUMNS = ("code", "name")


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
                    errors.extend(RowError(number, msg, key) for key, msg in field_messages(error))
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
            errors.extend(RowError(number, msg, key) for key, msg in field_messages(error))
            continue
        known[code] = region
        new.append(region)
    raise_if(errors)

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
