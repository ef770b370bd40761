"""Scenarios shared by the insights and the reports tests (plain functions, not fixtures)."""

from datetime import date
from itertools import combinations

from actors.models import GovernmentLevel
from assessments.models import RoundStatus
from tests.factories import ActorFactory, RegionFactory, RoundFactory, score

# Issue 12, item 3: "In a new Sigi round, 10 weak pairs were re-scored one level higher
# and nothing else. The comparison page said 10 improved and 0 declined; the dashboard
# headline said −4.1 index points."
WEAK_PAIRS = 10


def rescored_weak_pairs(district, sectors):
    """Eight actors of ``district`` (28 possible pairs) in two rounds.

    - "Pemetaan Sigi 2025" (closed): every pair scored, the first 10 pairs (in the order
      of ``itertools.combinations``) at 1 "cooperation", the other 18 at 3
      "collaboration": mean 64 / 28 = 16/7 ≈ 2.286, index 57.1 %, coverage 100 %.
    - "Pemetaan Sigi 2026" (open): only those 10 weak pairs, each one level higher (2):
      mean 2.0, index 50.0 %, coverage 10 / 28 = 35.7 %.

    Taken round against round, the index "falls" by 7.1 points; like for like, on the 10
    pairs scored in both rounds, the mean rises from 1.0 to 2.0: +1.00, +25.0 points.
    10 improved, 0 declined, 0 unchanged, 0 newly scored, 18 not yet scored in 2026.
    """
    members = [
        ActorFactory(
            name=f"Anggota {number} Sigi",
            short_name=f"A{number}",
            sector=sectors[number % len(sectors)],
            home_region=district,
        )
        for number in range(1, 9)
    ]
    previous = RoundFactory(
        region=district,
        name="Pemetaan Sigi 2025",
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        members=members,
    )
    current = RoundFactory(
        region=district,
        name="Pemetaan Sigi 2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        members=members,
    )
    pairs = list(combinations(members, 2))
    for index, (first, second) in enumerate(pairs):
        weak = index < WEAK_PAIRS
        score(previous, first, second, 1 if weak else 3)
        if weak:
            score(current, first, second, 2)
    return previous, current


def ranked_districts(province, district, other_district, health, planning):
    """Four districts' latest rounds against the default rule (50 % and 20 pairs):

    - Sigi: 8 actors, 28 possible pairs, 20 scored at 2: coverage 71.4 %, index 50 %;
      ranked. Its 2025 round scored the same 20 pairs at 1: +25 points like for like.
    - Palu: 7 actors, 21 pairs, all scored, 7 at 3 and 14 at 1: mean 5/3, index 41.7 %;
      ranked second, closed.
    - Kabupaten Tojo: 2 actors, its one pair at 4: 100 % coverage, index 100 %, but one
      pair: not enough scored to rank.
    - Kabupaten Banggai: 20 actors, 190 pairs, 3 scored at 4 (1.6 %): not enough.
    """

    def district_round(region, count, levels, **fields):
        members = ActorFactory.create_batch(count, sector=health, home_region=region)
        members[0].sector = planning
        members[0].save()
        round_ = RoundFactory(region=region, name=f"Pemetaan {region.name}", **fields)
        pairs = [(x, y) for i, x in enumerate(members) for y in members[i + 1 :]]
        for (x, y), level in zip(pairs, levels, strict=False):
            score(round_, x, y, level)
        return round_, members, pairs

    sigi, _members, pairs = district_round(district, 8, [2] * 20)
    sigi_2025 = RoundFactory(
        region=district,
        status=RoundStatus.CLOSED,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        members=_members,
    )
    for x, y in pairs[:20]:
        score(sigi_2025, x, y, 1)
    palu, *_rest = district_round(other_district, 7, [3] * 7 + [1] * 14, status=RoundStatus.CLOSED)
    tojo = RegionFactory(
        code="72.09", name="Kabupaten Tojo", level=GovernmentLevel.DISTRICT, parent=province
    )
    district_round(tojo, 2, [4])
    banggai = RegionFactory(
        code="72.01", name="Kabupaten Banggai", level=GovernmentLevel.DISTRICT, parent=province
    )
    district_round(banggai, 20, [4, 4, 4])
    return {"sigi": sigi, "palu": palu, "tojo": tojo, "banggai": banggai}
