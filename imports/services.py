"""One entry point for the bulk imports and exports, used by the admin page, the
``import_data``/``export_data`` commands and the API alike."""

from django.utils.translation import gettext as _

from assessments.models import AssessmentRound
from imports import actors, pairs, regions
from imports.plan import Importer, ImportPlan, execute
from imports.tabular import refuse, write_table

# What can be imported, in the order the page offers it; the pair shapes need a round.
IMPORTERS: dict[str, Importer] = {
    "regions": regions.IMPORTER,
    "actors": actors.IMPORTER,
    "edges": pairs.EDGES,
    "matrix": pairs.MATRIX,
}
KINDS = {kind: importer.label for kind, importer in IMPORTERS.items()}
ROUND_KINDS = tuple(kind for kind, importer in IMPORTERS.items() if importer.needs_round)


def importer_for(kind: str) -> Importer:
    try:
        return IMPORTERS[kind]
    except KeyError:
        raise refuse(_("Unknown kind of import: %(kind)s.") % {"kind": kind}) from None


def run_import(
    *,
    kind: str,
    data: bytes,
    user,
    round: AssessmentRound | None = None,
    dry_run: bool = False,
    expected: str | None = None,
) -> ImportPlan:
    """Plan the import (``dry_run``: and stop there) or plan and write it; see
    ``imports.plan.execute``."""
    importer = importer_for(kind)
    return execute(
        importer,
        data=data,
        user=user,
        round=round if importer.needs_round else None,
        dry_run=dry_run,
        expected=expected,
    )


def run_export(
    *, kind: str, file_type: str, queryset=None, round: AssessmentRound | None = None
) -> tuple[bytes, str]:
    """The file (bytes, content type). Regions and actors export ``queryset`` (already
    limited to the user's jurisdiction); the pair shapes export ``round``."""
    exporters = {
        "regions": lambda: regions.export_regions(queryset),
        "actors": lambda: actors.export_actors(queryset),
        "edges": lambda: pairs.export_edges(round),
        "matrix": lambda: pairs.export_matrix(round),
    }
    header, rows = exporters[kind]()
    return write_table(header, rows, file_type)
