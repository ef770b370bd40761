"""One entry point for the bulk imports and exports, used by the admin page, the
``import_data``/``export_data`` commands and the API alike."""

from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentRound
from imports.actors import export_actors, import_actors
from imports.pairs import export_edges, export_matrix, import_pairs
from imports.plan import ImportResult
from imports.regions import export_regions, import_regions
from imports.tabular import refuse, write_table

# What can be imported, in the order the page offers it; the last two need a round.
KINDS = {
    "regions": _("Regions (code, name)"),
    "actors": _("Actors (name, short name, kind, sector, government level, region code)"),
    "edges": _("Pair assessments of a round: edge list (actor, actor, level)"),
    "matrix": _("Pair assessments of a round: matrix (actors on both axes)"),
}
ROUND_KINDS = ("edges", "matrix")


def run_import(
    *, kind: str, data: bytes, user, round: AssessmentRound | None = None
) -> ImportResult:
    if kind == "regions":
        return import_regions(data=data, user=user)
    if kind == "actors":
        return import_actors(data=data, user=user)
    if kind in ROUND_KINDS:
        if round is None:
            raise refuse(str(_("Choose the round to import the pair assessments into.")))
        return import_pairs(data=data, round=round, user=user, shape=kind)
    raise refuse(str(_("Unknown kind of import: %(kind)s.") % {"kind": kind}))


def run_export(
    *, kind: str, file_type: str, queryset=None, round: AssessmentRound | None = None
) -> tuple[bytes, str]:
    """The file (bytes, content type). Regions and actors export ``queryset`` (already
    limited to the user's jurisdiction); the pair shapes export ``round``."""
    exporters = {
        "regions": lambda: export_regions(queryset),
        "actors": lambda: export_actors(queryset),
        "edges": lambda: export_edges(round),
        "matrix": lambda: export_matrix(round),
    }
    header, rows = exporters[kind]()
    return write_table(header, rows, file_type)
