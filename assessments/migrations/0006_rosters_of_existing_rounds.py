"""Give every existing round the roster it was read with until now: the active actors of
its region (a district's and those below it; a province's own) and every actor scored in
it. A closed round's roster is frozen now, as the actors stand; its history starts when
the round was created, so that ``?as_of=`` keeps reading the same actors."""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

DISTRICT = 2


def _members_q(region):
    if region.level == DISTRICT:
        return Q(home_region__code=region.code) | Q(home_region__code__startswith=region.code + ".")
    return Q(home_region=region)


def forwards(apps, schema_editor):
    Round = apps.get_model("assessments", "AssessmentRound")
    Pair = apps.get_model("assessments", "PairAssessment")
    Actor = apps.get_model("actors", "Actor")
    Member = apps.get_model("assessments", "RoundMember")
    HistoricalMember = apps.get_model("assessments", "HistoricalRoundMember")
    now = timezone.now()
    for round_ in Round.objects.select_related("region").iterator():
        pairs = Pair.objects.filter(round=round_)
        actors = Actor.objects.filter(
            (_members_q(round_.region) & Q(is_active=True))
            | Q(pk__in=pairs.values("actor_a"))
            | Q(pk__in=pairs.values("actor_b"))
        ).select_related("sector")
        members = []
        for actor in actors:
            member = Member(round=round_, actor=actor)
            if round_.status == "closed":
                member.frozen_at = now
                member.name = actor.name
                member.short_name = actor.short_name
                member.kind = actor.kind
                member.sector_id = actor.sector_id
                member.sector_is_health = actor.sector.is_health
                member.government_level = actor.government_level
                member.home_region_id = actor.home_region_id
            members.append(member)
        Member.objects.bulk_create(members, batch_size=1000)
        HistoricalMember.objects.bulk_create(
            [
                HistoricalMember(
                    id=member.pk,
                    round_id=member.round_id,
                    actor_id=member.actor_id,
                    frozen_at=member.frozen_at,
                    name=member.name,
                    short_name=member.short_name,
                    kind=member.kind,
                    sector_id=member.sector_id,
                    sector_is_health=member.sector_is_health,
                    government_level=member.government_level,
                    home_region_id=member.home_region_id,
                    history_date=round_.created_at,
                    history_type="+",
                    history_change_reason="roster of a round created before rosters existed",
                )
                for member in Member.objects.filter(round=round_)
            ],
            batch_size=1000,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_round_roster"),
        ("actors", "0003_plain_names"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
