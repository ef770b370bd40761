"""The values of the demo's pairs, from the profile in ``demo.levels``: plain Python, no
database.

A pair's usual degree comes from its two government levels (``demo.levels.TIES``) and how
close its two sectors are: at one level by ``AFFINITY`` (the government offices of a
district all sit in its TPPS), across levels by sector too: counterparts (the provincial
and the district health offices, the district health office and a Puskesmas) and the links
of ``ACROSS_LEVELS`` work closer than offices of unrelated sectors. Two kecamatan- or
village-level actors of different kecamatan rarely work together; of the same kecamatan
they nearly always do. Each pair's values come from a random generator seeded with the two
actors' names, so the demo is the same on every database, whatever the ids.
"""

import random
from dataclasses import dataclass, replace

from actors.models import ActorKind, GovernmentLevel
from demo import levels

# How closely two sectors usually work in a district's stunting convergence (1–3), by
# sector code; pairs not listed lean on the defaults in ``affinity``.
AFFINITY = {
    frozenset({"health"}): 3,
    frozenset({"health", "planning"}): 3,
    frozenset({"health", "family_planning"}): 3,
    frozenset({"health", "village"}): 3,
    frozenset({"health", "community"}): 3,
    frozenset({"health", "women_child"}): 2,
    frozenset({"health", "public_works"}): 2,
    frozenset({"health", "food_agriculture"}): 2,
    frozenset({"health", "education"}): 2,
    frozenset({"health", "religious"}): 2,
    frozenset({"health", "ngo"}): 2,
    frozenset({"health", "general_government"}): 2,
    frozenset({"health", "development_partner"}): 3,
    frozenset({"planning"}): 3,
    frozenset({"planning", "village"}): 3,
    frozenset({"planning", "public_works"}): 2,
    frozenset({"village", "community"}): 3,
    frozenset({"village", "general_government"}): 3,
    frozenset({"general_government", "religious"}): 2,
    frozenset({"general_government", "family_planning"}): 2,
    frozenset({"family_planning", "community"}): 3,
    frozenset({"family_planning", "village"}): 2,
    frozenset({"family_planning", "religious"}): 2,
    frozenset({"public_works", "village"}): 2,
    frozenset({"food_agriculture"}): 3,
}

# Sectors that work together across government levels beyond their counterparts: health
# services with villages, cadres and family planning; villages with the camat and cadres.
ACROSS_LEVELS = {
    frozenset({"health", "village"}),
    frozenset({"health", "community"}),
    frozenset({"health", "family_planning"}),
    frozenset({"health", "general_government"}),
    frozenset({"village", "community"}),
    frozenset({"village", "general_government"}),
    frozenset({"family_planning", "community"}),
    frozenset({"family_planning", "village"}),
}

# Chance that a scorer scored a pair in a round, by the pair's usual degree: pairs that
# work together are known and scored first.
SCORED = (0.35, 0.5, 0.7, 0.85, 0.95)
FAR = 0.1  # a pair of local actors of different kecamatan
NEAR = 0.9  # a pair of local actors of the same kecamatan
RESCORED = 0.7  # a pair scored last round, scored again in this (open) round
NEWLY_SCORED = 0.2  # a pair not scored last round, scored in this one
WITH_EVIDENCE = 0.85  # the scorer answered the four evidence questions
WITH_NOTE = 0.6
LOCAL = (GovernmentLevel.SUBDISTRICT, GovernmentLevel.VILLAGE)
# The mechanisms of two local actors of different kecamatan.
FAR_MECHANISMS = ("data_sharing", "review_meeting")
FOCUS = {  # where the convergence effort of the past year went: more pairs moved up
    (GovernmentLevel.SUBDISTRICT, GovernmentLevel.VILLAGE),
    (GovernmentLevel.VILLAGE, GovernmentLevel.VILLAGE),
    (GovernmentLevel.DISTRICT, GovernmentLevel.VILLAGE),
}


@dataclass(frozen=True)
class Member:
    """What the demo knows of an actor on a round's roster."""

    name: str
    kind: str
    sector: str
    level: int
    region: str  # home region code

    @property
    def kecamatan(self) -> str | None:
        return ".".join(self.region.split(".")[:3]) if self.level in LOCAL else None


@dataclass(frozen=True)
class Scored:
    """A pair's values in one round, as ``clean_pair_values`` takes them."""

    level: int
    evidence: tuple[bool, bool, bool, bool] | None
    mechanisms: tuple[str, ...]
    facilitating_factors: tuple[str, ...]
    hindering_factors: tuple[str, ...]
    note: str

    def as_values(self) -> dict:
        return {
            "level": self.level,
            "evidence": self.evidence,
            "mechanisms": self.mechanisms,
            "facilitating_factors": self.facilitating_factors,
            "hindering_factors": self.hindering_factors,
            "note": self.note,
        }


def affinity(sector_a: str, sector_b: str) -> int:
    found = AFFINITY.get(frozenset({sector_a, sector_b}))
    if found is not None:
        return found
    return 2 if "planning" in (sector_a, sector_b) or sector_a == sector_b else 1


def far_apart(a: Member, b: Member) -> bool:
    """Two kecamatan- or village-level actors of different kecamatan."""
    return None not in (a.kecamatan, b.kecamatan) and a.kecamatan != b.kecamatan


def usual_degree(a: Member, b: Member) -> int:
    """The level the two would usually reach: the levels' degree, up for counterparts and
    close sectors, down for distant ones."""
    degree = levels.ties(a.level, b.level).degree
    if a.level == b.level:
        degree += affinity(a.sector, b.sector) - 2
        if a.level == GovernmentLevel.VILLAGE and a.region != b.region:
            degree -= 1  # two villages
        if a.level == GovernmentLevel.DISTRICT and a.kind == b.kind == ActorKind.GOVERNMENT:
            degree = max(degree, 2)  # both sit in the district's TPPS
    elif a.sector == b.sector:
        degree += 1
    elif frozenset({a.sector, b.sector}) not in ACROSS_LEVELS:
        degree -= 1
    if far_apart(a, b):
        degree = min(degree, 1)
    return max(0, min(4, degree))


def pair_rng(seed: int, a: Member, b: Member) -> random.Random:
    first, second = sorted((a.name, b.name))
    return random.Random(f"{seed}|{first}|{second}")


def first_round(a: Member, b: Member, rng: random.Random) -> Scored | None:
    """The pair in the first round it could be scored in, or None if it was not scored."""
    degree = usual_degree(a, b)
    chance = 1.0 if a.level == b.level == GovernmentLevel.PROVINCE else SCORED[degree]
    if far_apart(a, b):
        chance = FAR
    elif a.kecamatan is not None and a.kecamatan == b.kecamatan:
        chance = NEAR
    if rng.random() >= chance:
        return None
    return _fresh(a, b, rng)


def next_round(a: Member, b: Member, previous: Scored | None, rng: random.Random) -> Scored | None:
    """The pair a round later (a round still open: about half its pairs are scored yet).
    Most pairs hold their level, some move up (more where the past year's effort went),
    few move down (more where staff turned over)."""
    if previous is None:
        chance = FAR / 2 if far_apart(a, b) else NEWLY_SCORED
        return _fresh(a, b, rng) if rng.random() < chance else None
    provincial = a.level == b.level == GovernmentLevel.PROVINCE  # the TPPS, always scored
    if not provincial and rng.random() >= RESCORED:
        return None
    focus = (min(a.level, b.level), max(a.level, b.level)) in FOCUS
    up, down = (0.3 if focus else 0.18), 0.05
    if "staff_turnover" in previous.hindering_factors:
        down = 0.15
    draw = rng.random()
    if draw < up:
        level = previous.level + 1
    elif draw < up + down:
        level = previous.level - 1
    else:
        return previous
    level = _clamp(a, b, level)
    if level == previous.level:
        return previous
    values = _values(a, b, level, rng)
    if level > previous.level and rng.random() < 0.5:
        values = replace(values, note=rng.choice(levels.IMPROVED_NOTES))
    return values


def _fresh(a: Member, b: Member, rng: random.Random) -> Scored:
    level = usual_degree(a, b) + rng.choice((-1, 0, 0, 0, 1))
    return _values(a, b, _clamp(a, b, level), rng)


def _clamp(a: Member, b: Member, level: int) -> int:
    return max(0, min(1 if far_apart(a, b) else 4, level))


def _pick(rng: random.Random, choices, count: int) -> list[str]:
    """``count`` of ``choices`` without repeats, each twice as likely as the next."""
    pool, picked = list(choices), []
    while pool and len(picked) < count:
        weights = [2**rank for rank in range(len(pool), 0, -1)]
        picked.append(pool.pop(rng.choices(range(len(pool)), weights=weights)[0]))
    return picked


def _values(a: Member, b: Member, level: int, rng: random.Random) -> Scored:
    ties = levels.ties(a.level, b.level)
    far = far_apart(a, b)
    usable = [m for m in ties.mechanisms if levels.MECHANISM_FROM_LEVEL.get(m, 2) <= level]
    if far:
        usable = [m for m in usable if m in FAR_MECHANISMS]
    count = {0: 0, 1: 1, 2: rng.choice((1, 2)), 3: 2, 4: 3}[level]
    mechanisms = _pick(rng, usable, count)
    if level == 4 and "mou_or_decree_team" not in mechanisms:
        mechanisms.append("mou_or_decree_team")  # a formal cross-sector structure
    # Working pairs name what helps them, weak ones what holds them back.
    if level >= 2:
        facilitating_count = rng.choice((1, 1, 2))
    else:
        facilitating_count = rng.choice((0, 1)) if level == 1 else 0
    facilitating = _pick(rng, ties.facilitating, facilitating_count)
    hindering_count = {0: rng.choice((1, 2)), 1: 1, 2: rng.choice((0, 1, 1))}.get(
        level, rng.choice((0, 0, 1))
    )
    hindering = _pick(rng, ties.hindering, hindering_count)
    if far and "distance_and_access" not in hindering:
        hindering.insert(0, "distance_and_access")
    note = ""
    if rng.random() < WITH_NOTE:
        if level == 0:
            note = rng.choice(levels.NO_TIES_NOTES)
        elif far:
            note = rng.choice(levels.FAR_NOTES)
        elif mechanisms and mechanisms[0] in ties.notes:
            note = rng.choice(ties.notes[mechanisms[0]])
        if hindering and hindering[0] in ties.obstacles and (not note or rng.random() < 0.4):
            note = f"{note} {rng.choice(ties.obstacles[hindering[0]])}".strip()
    evidence = None
    if rng.random() < WITH_EVIDENCE:
        evidence = tuple(level >= question for question in (1, 2, 3, 4))
    return Scored(
        level=level,
        evidence=evidence,
        mechanisms=tuple(mechanisms),
        facilitating_factors=tuple(facilitating),
        hindering_factors=tuple(hindering),
        note=note,
    )
