from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.models import Jurisdiction
from actors.models import Actor, ActorKind, GovernmentLevel, Programme, Region, Sector
from assessments.models import AssessmentRound, PairAssessment, RoundStatus


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "72"
    name = "Sulawesi Tengah"
    level = GovernmentLevel.PROVINCE
    parent = None


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"sector-{n}")
    name_id = factory.Sequence(lambda n: f"Sektor {n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")
    is_health = False


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Dinas Contoh {n:03d}")
    short_name = factory.Sequence(lambda n: f"DC{n}")
    kind = ActorKind.GOVERNMENT
    sector = factory.SubFactory(SectorFactory)
    government_level = GovernmentLevel.DISTRICT
    home_region = None


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Program Percepatan Penurunan Stunting {n}")
    period_start = date(2026, 1, 1)
    period_end = date(2026, 12, 31)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentRound

    name = factory.Sequence(lambda n: f"Pemetaan {n}")
    period_start = date(2026, 1, 1)
    period_end = date(2026, 12, 31)
    status = RoundStatus.OPEN


class PairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PairAssessment

    level = 2


def make_user(username, *, role=None, regions=(), **extra):
    user = get_user_model().objects.create_user(
        username=username, password="pw-" + username, **extra
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    for region in regions:
        Jurisdiction.objects.create(user=user, region=region)
    return user


def score(round_, actor_x, actor_y, level, **extra):
    """Store a level directly (canonical order), as fixtures for reads."""
    first, second = sorted([actor_x, actor_y], key=lambda actor: actor.pk)
    return PairFactory(round=round_, actor_a=first, actor_b=second, level=level, **extra)
