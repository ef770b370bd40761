"""Export one round with everything it needs to stand alone, and restore it.

The export is plain JSON keyed by natural keys (region codes, sector codes, actor names
within their region, user names), so it restores into the same database or another one.
Whole-database backups use the database's own tools (README, "Backup and restore").
"""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from actors.models import Actor, Programme, ProgrammeParticipant, Region, Sector
from assessments.models import EVIDENCE_FIELDS, AssessmentRound, PairAssessment

FORMAT = "peta-konvergensi/round"
VERSION = 1

PAIR_FIELDS = (
    "level",
    "note",
    *EVIDENCE_FIELDS,
    "evidence_inconsistency_confirmed",
    "mechanisms",
    "facilitating_factors",
    "hindering_factors",
)


def _region_chain(region: Region) -> list[Region]:
    chain = []
    while region is not None:
        chain.append(region)
        region = region.parent
    return list(reversed(chain))


def export_round(*, round: AssessmentRound) -> dict:
    """Everything needed to rebuild ``round``: regions, sectors, actors, programme, pairs."""
    pairs = list(
        PairAssessment.objects.filter(round=round).select_related(
            "actor_a__home_region", "actor_b__home_region", "actor_a__sector", "scored_by"
        )
    )
    actors = {pair.actor_a for pair in pairs} | {pair.actor_b for pair in pairs}
    programme = round.programme
    participants = []
    if programme is not None:
        participants = list(programme.participants.select_related("actor__home_region"))
        actors |= {participant.actor for participant in participants}
        if programme.lead_actor:
            actors.add(programme.lead_actor)
    actors = sorted(actors, key=lambda actor: actor.pk)
    regions = {
        region.code: region for actor in actors for region in _region_chain(actor.home_region)
    }
    regions.update({region.code: region for region in _region_chain(round.region)})
    if programme is not None:
        regions.update({region.code: region for region in _region_chain(programme.region)})
    sectors = {actor.sector_id for actor in actors}

    def actor_key(actor):
        return [actor.home_region.code, actor.name]

    return {
        "format": FORMAT,
        "version": VERSION,
        "regions": [
            {
                "code": r.code,
                "name": r.name,
                "level": r.level,
                "parent": r.parent.code if r.parent else None,
            }
            for r in sorted(regions.values(), key=lambda region: (region.level, region.code))
        ],
        "sectors": [
            {
                "code": s.code,
                "name_id": s.name_id,
                "name_en": s.name_en,
                "is_health": s.is_health,
                "sort_order": s.sort_order,
            }
            for s in Sector.objects.filter(pk__in=sectors).order_by("pk")
        ],
        "actors": [
            {
                "region": a.home_region.code,
                "name": a.name,
                "short_name": a.short_name,
                "kind": a.kind,
                "sector": a.sector.code,
                "government_level": a.government_level,
                "is_active": a.is_active,
            }
            for a in actors
        ],
        "programme": None
        if programme is None
        else {
            "region": programme.region.code,
            "name": programme.name,
            "period_start": programme.period_start.isoformat(),
            "period_end": programme.period_end.isoformat(),
            "lead_actor": actor_key(programme.lead_actor) if programme.lead_actor else None,
            "target_groups": programme.target_groups,
            "description": programme.description,
            "participants": [
                {
                    "actor": actor_key(p.actor),
                    "role": p.role,
                    "stages": p.stages,
                    "intervention_type": p.intervention_type,
                    "contributions": p.contributions,
                    "contribution_note": p.contribution_note,
                }
                for p in participants
            ],
        },
        "round": {
            "region": round.region.code,
            "name": round.name,
            "period_start": round.period_start.isoformat(),
            "period_end": round.period_end.isoformat(),
            "status": round.status,
        },
        "pairs": [
            {
                "actor_a": actor_key(pair.actor_a),
                "actor_b": actor_key(pair.actor_b),
                **{field: getattr(pair, field) for field in PAIR_FIELDS},
                "scored_by": pair.scored_by.username if pair.scored_by else None,
                "scored_at": pair.scored_at.isoformat(),
            }
            for pair in pairs
        ],
    }


@transaction.atomic
def restore_round(*, data: dict) -> AssessmentRound:
    """Rebuild a round from ``export_round`` output. Reference data that already exists
    (same region code, sector code, actor name in its region, programme name in its
    region) is reused; a round of the same name in the same region is refused."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
        raise ValidationError(_("This file is not a round export of this application."))
    regions = {}
    for row in data["regions"]:
        parent = regions.get(row["parent"]) if row["parent"] else None
        region = Region.objects.filter(code=row["code"]).first()
        if region is None:
            region = Region(code=row["code"], name=row["name"], level=row["level"], parent=parent)
            region.full_clean()
            region.save()
        regions[region.code] = region
    sectors = {}
    for row in data["sectors"]:
        sectors[row["code"]], _created = Sector.objects.get_or_create(
            code=row["code"], defaults={key: value for key, value in row.items() if key != "code"}
        )
    actors = {}
    for row in data["actors"]:
        actor, _created = Actor.objects.get_or_create(
            home_region=regions[row["region"]],
            name=row["name"],
            defaults={
                "short_name": row["short_name"],
                "kind": row["kind"],
                "sector": sectors[row["sector"]],
                "government_level": row["government_level"],
                "is_active": row["is_active"],
            },
        )
        actors[(row["region"], row["name"])] = actor
    programme = None
    if data["programme"]:
        row = data["programme"]
        programme, created = Programme.objects.get_or_create(
            region=regions[row["region"]],
            name=row["name"],
            defaults={
                "period_start": date.fromisoformat(row["period_start"]),
                "period_end": date.fromisoformat(row["period_end"]),
                "lead_actor": actors[tuple(row["lead_actor"])] if row["lead_actor"] else None,
                "target_groups": row["target_groups"],
                "description": row["description"],
            },
        )
        if created:
            ProgrammeParticipant.objects.bulk_create(
                ProgrammeParticipant(
                    programme=programme,
                    actor=actors[tuple(p["actor"])],
                    **{key: value for key, value in p.items() if key != "actor"},
                )
                for p in row["participants"]
            )
    row = data["round"]
    region = regions[row["region"]]
    if AssessmentRound.objects.filter(region=region, name=row["name"]).exists():
        raise ValidationError(
            _("A round named %(name)s already exists in %(region)s.")
            % {"name": row["name"], "region": region.name}
        )
    round_ = AssessmentRound.objects.create(
        region=region,
        programme=programme,
        name=row["name"],
        period_start=date.fromisoformat(row["period_start"]),
        period_end=date.fromisoformat(row["period_end"]),
        status=row["status"],
    )
    users = {
        user.username: user
        for user in get_user_model().objects.filter(
            username__in={pair["scored_by"] for pair in data["pairs"] if pair["scored_by"]}
        )
    }
    pairs = PairAssessment.objects.bulk_create(
        PairAssessment(
            round=round_,
            actor_a=actors[tuple(pair["actor_a"])],
            actor_b=actors[tuple(pair["actor_b"])],
            scored_by=users.get(pair["scored_by"]),
            **{field: pair[field] for field in PAIR_FIELDS},
        )
        for pair in data["pairs"]
    )
    # bulk_create stamps auto_now fields with the current time; put the original back.
    for pair, saved in zip(data["pairs"], pairs, strict=True):
        saved.scored_at = datetime.fromisoformat(pair["scored_at"])
    PairAssessment.objects.bulk_update(pairs, ["scored_at"], batch_size=1000)
    return round_
