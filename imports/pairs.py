"""Bulk import and export of the pair assessments of one round: an edge list or a matrix.

Edge list: one row per pair, columns ``actor_a, actor_b, level``. Matrix: the first row and
the first column name the actors, each cell holds the level of its pair, an empty cell is
a pair not assessed (and is left as it is: an import never deletes). Actors are named by
name or short name, among the actors of the round's region.

Imports go to an open round only, for an admin who may score there. Every row is checked
with the rules of ``pair_assessment_save`` (the functions it uses, from
``assessments.services``) before anything is written; then the new and changed pairs are
written in bulk. A row whose pair already has that level changes nothing, so importing a
file twice (or an export of the round) leaves the round as it was.

Like a save on the scoring page, a changed level replaces the whole assessment: the note,
the evidence answers and the lists of the old assessment are cleared with it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from accounts.scoping import access_for, can_score
from actors.models import Actor
from assessments.models import EVIDENCE_FIELDS, AssessmentRound, Level, PairAssessment
from assessments.selectors import matrix_for_round, round_member_ids
from assessments.services import (
    canonical_pair,
    clean_pair_values,
    level_refusals,
    lock_open_round,
    validate_scorable_pair,
)
from assessments.summaries import refresh_round_summary
from convergence.validators import unsafe_text_message
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
    execute,
    find_columns,
)
from imports.tabular import (
    RowError,
    Table,
    cell,
    refuse,
)
from imports.xlsx_templates import Template, TemplateColumn, workbook_bytes

EDGE_COLUMNS = (
    Column(
        "actor_a",
        gettext_lazy("Actor A"),
        help=gettext_lazy("an actor of the round, by name or short name (from the list)."),
    ),
    Column("actor_b", gettext_lazy("Actor B"), help=gettext_lazy("the other actor of the pair.")),
    Column(
        "level",
        gettext_lazy("Level"),
        help=gettext_lazy(
            "0 none, 1 cooperation, 2 coordination, 3 collaboration, 4 integration (from the "
            "list, or the number alone)."
        ),
    ),
)
SHAPES = ("edges", "matrix")
# Fields a save clears when it replaces an assessment (see pair_assessment_save).
_REPLACED_FIELDS = [
    "level",
    "note",
    *EVIDENCE_FIELDS,
    "evidence_inconsistency_confirmed",
    "mechanisms",
    "facilitating_factors",
    "hindering_factors",
    "scored_by",
    "scored_at",
    "version",
]


class ActorNames:
    """Find the round's actors by name or short name (case and spacing ignored).

    The members of the round's roster come first; then the other actors that could be on
    it, so that naming one of them gets ``validate_pair``'s message rather than "unknown".
    """

    def __init__(self, round: AssessmentRound):
        self.round = round
        self.members = round_member_ids(round)
        actors = list(Actor.objects.filter(round.region.members_q()).select_related("home_region"))
        on_roster = [actor for actor in actors if actor.pk in self.members]
        others = [actor for actor in actors if actor.pk not in self.members]
        self.tiers = [self._index(on_roster), self._index(others)]

    @staticmethod
    def _key(value: str) -> str:
        return " ".join(value.split()).casefold()

    def _index(self, actors):
        by_name, by_short = {}, {}
        for actor in actors:
            by_name.setdefault(self._key(actor.name), []).append(actor)
            by_short.setdefault(self._key(actor.short_name), []).append(actor)
        return by_name, by_short

    def find(self, raw: str) -> tuple[Actor | None, str | None]:
        """The actor and None, or None and the reason it cannot be told."""
        if not raw:
            return None, _("This cell is empty: name an actor.")
        problem = unsafe_text_message(raw)
        if problem:
            return None, problem
        key = self._key(raw)
        for by_name, by_short in self.tiers:
            for index in (by_name, by_short):
                found = index.get(key, [])
                if len(found) == 1:
                    return found[0], None
                if len(found) > 1:
                    return None, _("%(name)s names %(count)d actors here: use the full name.") % {
                        "name": raw,
                        "count": len(found),
                    }
        return None, _("No actor named %(name)s in %(region)s.") % {
            "name": raw,
            "region": self.round.region.name,
        }


class LevelCells:
    """Read the level in a cell ("2", "2.0" as a spreadsheet may write it, "Koordinasi",
    "2 – Coordination"), checked by the service's rules for a pair scored with that level
    alone: the level, or None and the reason. A file repeats a handful of values, so each
    is read once."""

    def __init__(self):
        self.vocabulary = vocabulary.convergence_levels()
        self.seen: dict[str, tuple[int | None, str | None]] = {}

    def parse(self, raw: str) -> tuple[int | None, str | None]:
        if raw not in self.seen:
            level, problem = vocabulary.parse_level(self.vocabulary, raw)
            if problem is None:
                try:
                    level = clean_pair_values(level=level)["level"]
                except ValidationError as error:
                    level, problem = None, error.messages[0]
            self.seen[raw] = (level, problem)
        return self.seen[raw]


class PairImporter(Importer):
    """The levels of an edge list or a matrix, into an open round."""

    needs_round = True
    columns = EDGE_COLUMNS

    def __init__(self, shape: str, label):
        self.kind = self.shape = shape
        self.label = label

    def check(self, *, user, round) -> None:
        if round is None:
            raise refuse(_("Choose the round to import the pair assessments into."))
        if not access_for(user).has_role(Role.ADMIN) or not can_score(user, round.region):
            raise PermissionDenied(_("Only admins who may score in this region may import pairs."))
        try:
            with transaction.atomic():  # the service's check, before the file is read
                lock_open_round(round)
        except ValidationError as error:
            raise refuse(error.messages[0]) from None

    def make_plan(self, table: Table, *, user, round, lock=False) -> ImportPlan:
        if lock:
            try:
                lock_open_round(round)  # it cannot be closed before the writes
            except ValidationError as error:
                raise refuse(error.messages[0]) from None
        names = ActorNames(round)
        if self.shape == "edges":
            scored, errors = _read_edges(table, names)
        else:
            scored, errors = _read_matrix(table, names)
        plan = ImportPlan(
            kind=self.kind, columns=EDGE_COLUMNS, errors=errors, describe=_describe_pair_value
        )
        stored = {
            (a, b): (pk, level, version)
            for pk, a, b, level, version in PairAssessment.objects.filter(round=round).values_list(
                "pk", "actor_a_id", "actor_b_id", "level", "version"
            )
        }
        # The rules of other apps about a new level (a document before level 4), for every
        # pair whose level the file changes at once.
        refused = level_refusals(
            round=round,
            levels={
                (first.pk, second.pk): level
                for (first, second), (level, _number, _column) in scored.items()
                if stored.get((first.pk, second.pk), (None, None))[1] != level
            },
        )
        new, changed = [], []
        values_by_level: dict[int, dict] = {}
        now = timezone.now()
        for (first, second), (level, number, column) in scored.items():
            existing = stored.get((first.pk, second.pk))
            values = {"actor_a": first.name, "actor_b": second.name, "level": level}
            if existing is not None and existing[1] == level:
                # Already so: nothing to check or write.
                plan.rows.append(PlannedRow(number, UNCHANGED, values, cell=column))
                continue
            try:
                validate_scorable_pair(
                    round=round, actor_a=first, actor_b=second, members=names.members
                )
            except ValidationError as error:
                errors.extend(RowError(number, message, column) for message in error.messages)
                continue
            if (first.pk, second.pk) in refused:
                errors.append(RowError(number, refused[first.pk, second.pk], column))
                continue
            # What the pair stores: its level, and the rest cleared (a changed level replaces
            # the whole assessment, as a save on the scoring page does).
            if level not in values_by_level:
                values_by_level[level] = clean_pair_values(level=level)
            stored_values = values_by_level[level]
            if existing is None:
                new.append(
                    PairAssessment(
                        round=round, actor_a=first, actor_b=second, **stored_values, scored_by=user
                    )
                )
                plan.rows.append(PlannedRow(number, CREATE, values, cell=column))
            else:
                changed.append(
                    PairAssessment(
                        pk=existing[0],
                        round=round,
                        actor_a=first,
                        actor_b=second,
                        **stored_values,
                        scored_by=user,
                        scored_at=now,
                        version=existing[2] + 1,
                    )
                )
                plan.rows.append(
                    PlannedRow(number, UPDATE, values, {"level": existing[1]}, cell=column)
                )
        plan.rows.sort(key=lambda row: (row.number, _column_order(row.cell)))
        if changed:
            plan.notes.append(
                _(
                    "A changed level replaces the pair's whole assessment, as a save on the "
                    "scoring page does: its note, evidence answers, mechanisms and factors "
                    "are cleared."
                )
            )

        def write():
            try:
                bulk_create(PairAssessment, new, user=user)
            except IntegrityError:
                # A scorer saved one of these pairs while the file was read: nothing is kept.
                raise refuse(
                    _(
                        "Some of these pairs were scored while the file was imported: import "
                        "it again."
                    )
                ) from None
            bulk_update(PairAssessment, changed, _REPLACED_FIELDS, user=user)
            refresh_round_summary(round.pk)  # bulk writes bypass the scoring service

        plan.write = write
        return plan

    def template(self, *, user, round) -> bytes:
        matrix = matrix_for_round(round=round)
        names = [actor.name for actor in matrix.actors]
        levels = [vocabulary.level_label(level) for level in Level]
        if self.shape == "matrix":
            return self._matrix_template(round, matrix, names, levels)
        scored = sorted(matrix.levels.items())
        if scored:
            (first, second), level = scored[0]
            by_id = {actor.pk: actor.name for actor in matrix.actors}
            example = [by_id[first], by_id[second], vocabulary.level_label(level)]
        else:
            example = [*names[:2], vocabulary.level_label(Level.COORDINATION)]
        return workbook_bytes(
            Template(
                title=_("Template: pair assessments of %(round)s (edge list)")
                % {"round": round.name},
                columns=[
                    TemplateColumn(str(EDGE_COLUMNS[0].label), width=44, choices=names),
                    TemplateColumn(str(EDGE_COLUMNS[1].label), width=44, choices=names),
                    TemplateColumn(str(EDGE_COLUMNS[2].label), width=24, choices=levels),
                ],
                rows=[example],
                instructions=[
                    *self.instructions(),
                    _(
                        "Only the round's actors can be paired. A pair that is not in the file "
                        "is left as it is; a changed level replaces the pair's whole "
                        "assessment (its note, evidence and lists are cleared)."
                    ),
                ],
            )
        )

    def _matrix_template(self, round, matrix, names, levels) -> bytes:
        rows = []
        for row_index, row_actor in enumerate(matrix.actors):
            cells = [row_actor.name]
            for column_index, column_actor in enumerate(matrix.actors):
                level = matrix.level(row_actor.pk, column_actor.pk)
                right_of_diagonal = column_index > row_index
                cells.append(
                    vocabulary.level_label(level)
                    if right_of_diagonal and level is not None
                    else None
                )
            rows.append(cells)
        return workbook_bytes(
            Template(
                title=_("Template: pair assessments of %(round)s (matrix)") % {"round": round.name},
                columns=[
                    TemplateColumn(_("Actor"), width=40),
                    *(TemplateColumn(name, width=16) for name in names),
                ],
                rows=rows,
                example_rows=0,
                matrix=True,
                matrix_choices=levels,
                instructions=[
                    _(
                        "The round's actors head the rows and the columns of the first sheet, "
                        "“%(sheet)s”; the levels already scored are filled in. Each pair has "
                        "the cell right of the grey diagonal: choose its level from the list "
                        "(or write the number). An empty cell is a pair not assessed, and is "
                        "left as it is."
                    )
                    % {"sheet": _("Data")},
                    _(
                        "Keep the actors' names as they are. If you also fill a grey cell, it "
                        "must agree with the other cell of the same pair."
                    ),
                    _(
                        "A changed level replaces the pair's whole assessment (its note, "
                        "evidence and lists are cleared)."
                    ),
                    _(
                        "Save the file as .xlsx (or CSV) and upload it on the import page: a "
                        "preview shows what would be created, changed and left unchanged, and "
                        "every cell with a problem. Nothing is written until you confirm it."
                    ),
                ],
            )
        )


EDGES = PairImporter(
    "edges", gettext_lazy("Pair assessments of a round: edge list (actor, actor, level)")
)
MATRIX = PairImporter(
    "matrix", gettext_lazy("Pair assessments of a round: matrix (actors on both axes)")
)
IMPORTERS = {"edges": EDGES, "matrix": MATRIX}


def import_pairs(
    *, data: bytes, round: AssessmentRound, user, shape: str, dry_run: bool = False
) -> ImportPlan:
    """Import the levels of an edge list or a matrix into ``round`` (an open round)."""
    if shape not in SHAPES:
        raise refuse(_("Unknown shape %(shape)s: use edges or matrix.") % {"shape": shape})
    return execute(IMPORTERS[shape], data=data, user=user, round=round, dry_run=dry_run)


def _describe_pair_value(key: str, value) -> str:
    return vocabulary.level_label(value) if key == "level" else str(value)


def _column_order(letters: str) -> tuple[int, str]:
    return (len(letters), letters)


def _read_edges(table, names: ActorNames):
    columns = find_columns(table, EDGE_COLUMNS)
    if not table.rows:
        raise refuse(_("The file has no rows below its header."))
    errors: list[RowError] = []
    scored: dict[tuple[Actor, Actor], tuple[int, int, str]] = {}
    levels = LevelCells()
    for number, cells in table.rows:
        row_errors = []
        actors = []
        for column in ("actor_a", "actor_b"):
            actor, problem = names.find(cell(cells, columns[column]))
            if problem:
                row_errors.append(RowError(number, problem, column))
            actors.append(actor)
        level, problem = levels.parse(cell(cells, columns["level"]))
        if problem:
            row_errors.append(RowError(number, problem, "level"))
        if row_errors:
            errors.extend(row_errors)
            continue
        if actors[0].pk == actors[1].pk:
            scored_pair = (actors[0], actors[1])
        else:
            scored_pair = canonical_pair(*actors)
        if scored_pair in scored:
            errors.append(
                RowError(
                    number,
                    _("This pair is already in row %(row)d.") % {"row": scored[scored_pair][1]},
                )
            )
            continue
        scored[scored_pair] = (level, number, "")
    return scored, errors


def _column_name(index: int) -> str:
    """A spreadsheet's name for column ``index`` (0 → A)."""
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


def _read_matrix(table, names: ActorNames):
    errors: list[RowError] = []
    columns: list[Actor | None] = []
    seen_columns: dict[int, str] = {}
    for index, raw in enumerate(table.header[1:], start=1):
        letter = _column_name(index)
        actor, problem = names.find(raw)
        if problem:
            errors.append(RowError(1, problem, letter))
        elif actor.pk in seen_columns:
            errors.append(
                RowError(
                    1,
                    _("%(actor)s already heads column %(column)s.")
                    % {"actor": actor, "column": seen_columns[actor.pk]},
                    letter,
                )
            )
            actor = None
        else:
            seen_columns[actor.pk] = letter
        columns.append(actor)
    if not columns:
        raise refuse(_("The first row must name the actors of the matrix's columns."))
    if not table.rows:
        raise refuse(_("The file has no rows below its header."))
    scored: dict[tuple[Actor, Actor], tuple[int, int, str]] = {}
    seen_rows: dict[int, int] = {}
    levels = LevelCells()
    for number, cells in table.rows:
        row_actor, problem = names.find(cell(cells, 0))
        if problem:
            errors.append(RowError(number, problem, "A"))
            continue
        if row_actor.pk in seen_rows:
            errors.append(
                RowError(
                    number,
                    _("%(actor)s already heads row %(row)d.")
                    % {"actor": row_actor, "row": seen_rows[row_actor.pk]},
                    "A",
                )
            )
            continue
        seen_rows[row_actor.pk] = number
        if len(cells) > len(columns) + 1:
            errors.append(
                RowError(
                    number,
                    _("This row has more cells than the first row has actors."),
                    _column_name(len(columns) + 1),
                )
            )
            continue
        for index, raw in enumerate(cells[1:], start=1):
            if raw == "":
                continue  # not assessed
            letter = _column_name(index)
            column_actor = columns[index - 1]
            if column_actor is None:
                continue  # its header is refused above
            level, problem = levels.parse(raw)
            if problem:
                errors.append(RowError(number, problem, letter))
                continue
            if column_actor.pk == row_actor.pk:
                pair = (row_actor, column_actor)
            else:
                pair = canonical_pair(row_actor, column_actor)
            if pair in scored:
                other_level, other_row, other_column = scored[pair]
                if other_level != level:
                    errors.append(
                        RowError(
                            number,
                            _(
                                "Level %(level)d here, but level %(other)d for the same pair "
                                "in row %(row)d, column %(column)s."
                            )
                            % {
                                "level": level,
                                "other": other_level,
                                "row": other_row,
                                "column": other_column,
                            },
                            letter,
                        )
                    )
                continue
            scored[pair] = (level, number, letter)
    return scored, errors


def export_edges(round: AssessmentRound) -> tuple[list[str], list[list]]:
    """The round's scored pairs as an edge list that ``import_pairs`` reads back."""
    rows = sorted(
        [assessment.actor_a.name, assessment.actor_b.name, assessment.level]
        for assessment in PairAssessment.objects.filter(round=round).select_related(
            "actor_a", "actor_b"
        )
    )
    return [column.key for column in EDGE_COLUMNS], rows


def export_matrix(round: AssessmentRound) -> tuple[list[str], list[list]]:
    """The who × who matrix of the round; a pair not assessed is an empty cell, never 0."""
    matrix = matrix_for_round(round=round)
    header = ["", *(actor.name for actor in matrix.actors)]
    rows = [
        [row.name, *(matrix.level(row.pk, column.pk) for column in matrix.actors)]
        for row in matrix.actors
    ]
    return header, rows
