from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from accounts.models import Jurisdiction
from actors.models import Actor, ActorKind, GovernmentLevel, Programme, Region, Sector
from assessments.models import AssessmentRound, PairAssessment, RoundMember, RoundStatus
from assessments.summaries import refresh_round_summary


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
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Dinas Contoh {n:03d}")
    short_name = factory.Sequence(lambda n: f"DC{n}")
    kind = ActorKind.GOVERNMENT
    sector = factory.SubFactory(SectorFactory)
    government_level = factory.LazyAttribute(
        lambda actor: actor.home_region.level if actor.home_region else GovernmentLevel.DISTRICT
    )
    home_region = None

    @factory.post_generation
    def join_rounds(actor, create, extracted, **kwargs):
        """An active actor joins the rosters of the rounds that are not frozen, held in
        its region or, for a district's rounds, above it (``default_roster_q``).
        ``join_rounds=False`` keeps it off them."""
        if not create or extracted is False or not actor.is_active:
            return
        rounds = [
            round_
            for round_ in AssessmentRound.objects.select_related("region")
            if Actor.objects.filter(default_roster_q(round_.region), pk=actor.pk).exists()
            and not round_.members.filter(frozen_at__isnull=False).exists()
        ]
        bulk_create_with_history(
            [RoundMember(round=round_, actor=actor) for round_ in rounds], RoundMember
        )
        for round_ in rounds:
            refresh_round_summary(round_.pk)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Program Percepatan Penurunan Stunting {n}")
    period_start = date(2026, 1, 1)
    period_end = date(2026, 12, 31)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentRound
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Pemetaan {n}")
    period_start = date(2026, 1, 1)
    period_end = date(2026, 12, 31)
    status = RoundStatus.OPEN

    @factory.post_generation
    def members(round_, create, extracted, **kwargs):
        """The roster: ``members=[...]``, or the active actors homed in the round's region
        and below it (actors made later join it too: ``ActorFactory.join_rounds``)."""
        if not create:
            return
        if extracted is None:
            extracted = Actor.objects.filter(default_roster_q(round_.region), is_active=True)
        bulk_create_with_history(
            [RoundMember(round=round_, actor=actor) for actor in extracted], RoundMember
        )
        refresh_round_summary(round_.pk)


class PairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PairAssessment

    level = 2


def default_roster_q(region):
    """A test round's roster unless one is given: a district's actors and those below it;
    a province's (or the nation's) own actors only, as its districts hold their own."""
    if region.level == GovernmentLevel.DISTRICT:
        return region.subtree_q("home_region__")
    return Q(home_region=region)


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
    for actor in (first, second):  # a scored actor is on the roster
        if not RoundMember.objects.filter(round=round_, actor=actor).exists():
            RoundMember.objects.create(round=round_, actor=actor)
    pair = PairFactory(round=round_, actor_a=first, actor_b=second, level=level, **extra)
    refresh_round_summary(round_.pk)
    return pair
