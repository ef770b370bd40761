"""The per-round summary (``RoundSummary``): refreshed inside every write to a round's pairs
or roster, and checked against the pairs by ``manage.py round_summaries --check``.

A refresh is one aggregate over the round's pairs (by level, on the pair table's index) and
one count of its roster: its cost follows the round, not the installation, and it runs once
per write, not per read. It also recounts the change like for like between the round and
the round before it, and between the round and the one after it (``paired_level_counts``):
one scan of those rounds' pairs, so that the dashboards, the rankings and the national
overview read the change from the summaries, never the pairs.
"""

from collections import Counter
from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import Count, F

from assessments.models import (
    AssessmentRound,
    Level,
    PairAssessment,
    RoundMember,
    RoundStatus,
    RoundSummary,
)

COUNTED_FIELDS = ("members", "assessed", *(f"level_{v}" for v in Level.values), "level_total")
CHANGE_FIELDS = ("previous_round_id", "paired_levels", "newly_scored", "not_rescored")


def counted(round_id: int) -> dict[str, int]:
    """What the summary of the round should hold, counted from its pairs and roster."""
    by_level = dict(
        PairAssessment.objects.filter(round_id=round_id)
        .order_by()
        .values_list("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    values = {f"level_{level}": by_level.get(level, 0) for level in Level.values}
    values["assessed"] = sum(by_level.values())
    values["level_total"] = sum(level * n for level, n in by_level.items())
    values["members"] = RoundMember.objects.filter(round_id=round_id).count()
    return values


def paired_level_counts(
    links: Sequence[tuple[int, int]],
) -> dict[int, tuple[Counter, int, int]]:
    """For each (later, earlier) pair of round ids (no round in two links), by the later
    round's id: how many pairs scored in both
    rounds went from each earlier level to each later level, ``{(earlier, later): n}``,
    then how many pairs are scored in the later round only and in the earlier round only.

    One query, whatever the number of links, actors and pairs: the pairs of both rounds of
    each link grouped by their two actors, each group's level in the later and in the
    earlier round, counted by those levels in the database.
    """
    if not links:
        return {}
    pairs = connection.ops.quote_name(PairAssessment._meta.db_table)
    later_ids = [later for later, _earlier in links]
    both_ids = [pk for link in links for pk in link]
    link_of = [pk for later, earlier in links for pk in (later, later, earlier, later)]
    whens = " ".join(["WHEN %s THEN %s"] * (2 * len(links)))
    later_marks = ", ".join(["%s"] * len(later_ids))
    both_marks = ", ".join(["%s"] * len(both_ids))
    # Each pair (the same two actors) of a link's two rounds is one group: its level in the
    # later round and in the earlier one, either missing. Then the groups are counted by
    # those two levels. One scan of the rounds' pairs and two aggregations, no join: its
    # cost follows the number of pairs whatever the planner knows of the table.
    sql = f"""
        SELECT link, now_level, before_level, COUNT(*) FROM (
            SELECT CASE round_id {whens} END AS link,
                MAX(CASE WHEN round_id IN ({later_marks}) THEN level END) AS now_level,
                MAX(CASE WHEN round_id IN ({later_marks}) THEN NULL ELSE level END)
                    AS before_level
            FROM {pairs}
            WHERE round_id IN ({both_marks})
            GROUP BY 1, actor_a_id, actor_b_id
        ) paired
        GROUP BY link, now_level, before_level
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*link_of, *later_ids, *later_ids, *both_ids])
        rows = cursor.fetchall()
    transitions = {later: Counter() for later in later_ids}
    newly_scored = dict.fromkeys(later_ids, 0)
    not_rescored = dict.fromkeys(later_ids, 0)
    for link, now_level, before_level, count in rows:
        if now_level is None:
            not_rescored[link] += count
        elif before_level is None:
            newly_scored[link] += count
        else:
            transitions[link][(before_level, now_level)] += count
    return {
        later: (transitions[later], newly_scored[later], not_rescored[later]) for later in later_ids
    }


def previous_rounds(region_id: int) -> dict[int, int | None]:
    """Each round of the region with the round its change is stored against: the latest
    round before it (``latest_first`` order) that is not a draft, as the rankings and the
    readers' dashboards take it; None for the first."""
    rounds = list(
        AssessmentRound.objects.filter(region_id=region_id)
        .latest_first()
        .values_list("pk", "status")
    )
    return {
        pk: next(
            (other for other, status in rounds[index + 1 :] if status != RoundStatus.DRAFT), None
        )
        for index, (pk, _status) in enumerate(rounds)
    }


def _change_values(counts: tuple[Counter, int, int] | None) -> dict:
    transitions, newly, not_rescored = counts or (Counter(), 0, 0)
    return {
        "paired_levels": [[before, now, n] for (before, now), n in sorted(transitions.items())],
        "newly_scored": newly,
        "not_rescored": not_rescored,
    }


def refresh_round_summary(round_id: int, *, scored: tuple | None = None) -> None:
    """Recount the round and move its version on, then the change like for like of each
    round of the region whose link involves it (its own, the next round's) or went stale
    (a round deleted, moved or opened); call it inside the write's transaction.

    ``scored``: the write was one pair's, ``(actor_a_id, actor_b_id, level before, level
    after)`` (a level None: not scored). A change that was current before it is then moved
    by that pair alone (one look-up of the pair in the other round) instead of recounted
    from both rounds' pairs, so that scoring a cell costs what it did.

    The region's summaries are locked first, in one order, so that two writes to
    neighbouring rounds recount each other's change one after the other."""
    with transaction.atomic():
        region_id = AssessmentRound.objects.filter(pk=round_id).values_list("region_id", flat=True)[
            0
        ]
        summaries = {
            summary.round_id: summary
            for summary in RoundSummary.objects.select_for_update(of=("self",))
            .filter(round__region_id=region_id)
            .order_by("round_id")
        }
        values = counted(round_id)
        version_before = summaries[round_id].version if round_id in summaries else None
        if round_id in summaries:
            RoundSummary.objects.filter(round_id=round_id).update(
                **values, version=F("version") + 1
            )
            summaries[round_id].version += 1
        else:
            summaries[round_id] = RoundSummary.objects.create(
                round_id=round_id, **values, version=1
            )
        # The link of each round: its previous round, when that one has a summary to be
        # valid against (every written round has).
        links = {
            pk: earlier if earlier in summaries else None
            for pk, earlier in previous_rounds(region_id).items()
            if pk in summaries
        }
        for pk, earlier in links.items():
            summary = summaries[pk]
            # The version the stored change must have been counted against to be current
            # before this write.
            valid_version = (
                version_before
                if earlier == round_id
                else summaries[earlier].version
                if earlier
                else None
            )
            was_current = (
                summary.previous_round_id == earlier and summary.previous_version == valid_version
            )
            if was_current and round_id not in (pk, earlier):
                continue
            change = None
            if was_current and earlier and scored is not None:
                change = _moved_by_one_pair(summary, pk, earlier, round_id, scored)
            if change is None:
                counts = paired_level_counts([(pk, earlier)]) if earlier else {}
                change = _change_values(counts.get(pk))
            RoundSummary.objects.filter(round_id=pk).update(
                previous_round_id=earlier,
                previous_version=summaries[earlier].version if earlier else None,
                **change,
            )


def _moved_by_one_pair(summary, later, earlier, written, scored) -> dict | None:
    """The stored change of ``later`` since ``earlier`` after one pair of ``written`` (one
    of the two) went from one level to another; None if the stored counts cannot hold it."""
    actor_a, actor_b, before, after = scored
    other = earlier if written == later else later
    other_level = (
        PairAssessment.objects.filter(round_id=other, actor_a_id=actor_a, actor_b_id=actor_b)
        .values_list("level", flat=True)
        .first()
    )
    transitions = Counter({(b, n): c for b, n, c in summary.paired_levels})
    counts = {"newly_scored": summary.newly_scored, "not_rescored": summary.not_rescored}

    def count(level, sign):
        now, then = (level, other_level) if written == later else (other_level, level)
        if now is not None and then is not None:
            transitions[(then, now)] += sign
        elif now is not None:
            counts["newly_scored"] += sign
        elif then is not None:
            counts["not_rescored"] += sign

    count(before, -1)
    count(after, +1)
    if min([*transitions.values(), *counts.values(), 0]) < 0:
        return None
    return _change_values((+transitions, counts["newly_scored"], counts["not_rescored"]))


def summaries_for(round_ids) -> dict[int, RoundSummary]:
    """The summaries of many rounds, in one query (a round never written has none yet)."""
    return RoundSummary.objects.in_bulk(list(round_ids), field_name="round_id")


def _stored(summary: RoundSummary) -> dict:
    values = {field: getattr(summary, field) for field in (*COUNTED_FIELDS, *CHANGE_FIELDS)}
    values["paired_levels"] = sorted(map(list, summary.paired_levels))
    return values


def check_summaries(round_ids=None) -> list[tuple[int, dict, dict]]:
    """(round id, stored, counted) for each round whose summary disagrees with its pairs,
    or whose change like for like disagrees with its and the previous round's pairs."""
    rounds = AssessmentRound.objects.order_by("pk")
    if round_ids is not None:
        rounds = rounds.filter(pk__in=round_ids)
    stored = {summary.round_id: summary for summary in RoundSummary.objects.all()}
    previous: dict[int, dict[int, int | None]] = {}
    wrong = []
    for round_id, region_id in rounds.values_list("pk", "region_id"):
        if region_id not in previous:
            previous[region_id] = previous_rounds(region_id)
        earlier = previous[region_id][round_id]
        earlier = earlier if earlier in stored else None
        want = counted(round_id) | {"previous_round_id": earlier}
        if earlier is None:
            want |= _change_values(None)
        else:
            want |= _change_values(paired_level_counts([(round_id, earlier)])[round_id])
            # A change counted against an older state of the previous round is stale.
            want["previous_version"] = stored[earlier].version
        summary = stored.get(round_id)
        have = {}
        if summary is not None:
            have = _stored(summary)
            if earlier is not None:
                have["previous_version"] = summary.previous_version
        if have != want:
            wrong.append((round_id, have, want))
    return wrong
