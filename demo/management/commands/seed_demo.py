"""Load the demo: Sulawesi Tengah, its sectors and actors, a stunting programme, two rounds
of scored pairs and one user per role. Running it again changes nothing but the passwords,
which it prints (they exist nowhere else)."""

import random
import secrets
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import Jurisdiction, Role
from accounts.roles import ensure_role_groups
from actors.models import (
    Actor,
    Contribution,
    GovernmentLevel,
    InterventionType,
    ParticipantRole,
    Programme,
    ProgrammeParticipant,
    ProgrammeStage,
    Region,
    Sector,
    TargetGroup,
)
from assessments.models import AssessmentRound, PairAssessment, RoundStatus
from demo import actors as demo_actors
from demo.regions import DISTRICTS, PROVINCE
from demo.sectors import SECTORS

# How closely two sectors usually work in a district's stunting convergence (0–4), by
# sector code; pairs not listed lean on the defaults in _base_level.
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
    frozenset({"health", "development_partner"}): 3,
    frozenset({"planning"}): 3,
    frozenset({"planning", "village"}): 3,
    frozenset({"planning", "public_works"}): 2,
    frozenset({"village", "community"}): 2,
    frozenset({"public_works", "village"}): 2,
    frozenset({"food_agriculture"}): 3,
}

USERS = [
    ("admin", Role.ADMIN, "72", "Admin Dinkes Provinsi"),
    ("penilai_sigi", Role.SCORER, "72.10", "Penilai Dinkes Sigi"),
    ("penilai_palu", Role.SCORER, "72.71", "Penilai Dinkes Palu"),
    ("perencana", Role.PLANNER, "72", "Perencana Bappeda Provinsi"),
    ("pembaca", Role.VIEWER, "72.10", "Pembaca Kabupaten Sigi"),
]


def _base_level(sector_a: str, sector_b: str) -> int:
    level = AFFINITY.get(frozenset({sector_a, sector_b}))
    if level is not None:
        return level
    if "planning" in (sector_a, sector_b):
        return 2
    if sector_a == sector_b:
        return 2
    return 1


class Command(BaseCommand):
    help = "Load the Sulawesi Tengah demo (idempotent) and print the demo users' passwords."

    @transaction.atomic
    def handle(self, *args, **options):
        ensure_role_groups()
        regions = self.seed_regions()
        sectors = self.seed_sectors()
        province_actors = self.seed_actors(regions["72"], demo_actors.PROVINCE_ACTORS, sectors)
        self.seed_round(
            regions["72"],
            province_actors,
            None,
            name="Pemetaan Konvergensi Provinsi 2026",
            start=date(2026, 1, 1),
            end=date(2026, 12, 31),
            status=RoundStatus.OPEN,
            share=0.7,
            seed=72,
        )
        for code in demo_actors.DEMO_DISTRICTS:
            district = regions[code]
            actors = self.seed_actors(district, demo_actors.actors_for(code), sectors)
            programme = self.seed_programme(district, actors)
            self.seed_round(
                district,
                actors,
                programme,
                name=f"Pemetaan Konvergensi {district.name} 2025",
                start=date(2025, 1, 1),
                end=date(2025, 6, 30),
                status=RoundStatus.CLOSED,
                share=0.55,
                seed=int(code.replace(".", "")),
            )
            self.seed_round(
                district,
                actors,
                programme,
                name=f"Pemetaan Konvergensi {district.name} 2026",
                start=date(2026, 1, 1),
                end=date(2026, 12, 31),
                status=RoundStatus.OPEN,
                share=0.45,
                seed=int(code.replace(".", "")),
                improve=True,
            )
        self.seed_users(regions)

    def seed_regions(self) -> dict[str, Region]:
        code, name = PROVINCE
        province, _ = Region.objects.update_or_create(
            code=code, defaults={"name": name, "level": GovernmentLevel.PROVINCE, "parent": None}
        )
        regions = {code: province}
        for code, name in DISTRICTS:
            regions[code], _ = Region.objects.update_or_create(
                code=code,
                defaults={"name": name, "level": GovernmentLevel.DISTRICT, "parent": province},
            )
        self.stdout.write(f"Regions: {len(regions)} (Sulawesi Tengah and its kabupaten/kota)")
        return regions

    def seed_sectors(self) -> dict[str, Sector]:
        sectors = {}
        for order, (code, name_id, name_en, is_health) in enumerate(SECTORS):
            sectors[code], _ = Sector.objects.update_or_create(
                code=code,
                defaults={
                    "name_id": name_id,
                    "name_en": name_en,
                    "is_health": is_health,
                    "sort_order": order,
                },
            )
        return sectors

    def seed_actors(self, region, rows, sectors) -> list[Actor]:
        actors = []
        for name, short_name, kind, sector_code, level in rows:
            actor, _ = Actor.objects.update_or_create(
                home_region=region,
                name=name,
                defaults={
                    "short_name": short_name,
                    "kind": kind,
                    "sector": sectors[sector_code],
                    "government_level": level,
                    "is_active": True,
                },
            )
            actors.append(actor)
        self.stdout.write(f"{region.name}: {len(actors)} actors")
        return actors

    def seed_programme(self, district, actors) -> Programme:
        by_short = {actor.short_name: actor for actor in actors}
        programme, _ = Programme.objects.update_or_create(
            region=district,
            name=f"Percepatan Penurunan Stunting {district.name} 2025–2026",
            defaults={
                "period_start": date(2025, 1, 1),
                "period_end": date(2026, 12, 31),
                "lead_actor": by_short["Bappeda"],
                "target_groups": [
                    TargetGroup.PREGNANT_WOMEN,
                    TargetGroup.CHILDREN_0_59,
                    TargetGroup.ADOLESCENT_GIRLS,
                    TargetGroup.BRIDES_TO_BE,
                    TargetGroup.AT_RISK_FAMILIES,
                ],
                "description": "Tim Percepatan Penurunan Stunting (TPPS), Perpres 72/2021.",
            },
        )
        S, R, C = ProgrammeStage, ParticipantRole, Contribution
        every = list(S.values)
        plan = [
            ("Bappeda", R.LEAD, every, "sensitive", [C.APBD, C.DATA]),
            ("Dinkes", R.IMPLEMENTER, every, "specific", [C.APBD, C.APBN_DAK, C.STAFF, C.DATA]),
            (
                "DPMD",
                R.IMPLEMENTER,
                [S.PLANNING, S.BUDGETING, S.IMPLEMENTATION],
                "sensitive",
                [C.DANA_DESA],
            ),
            (
                "DP2KB",
                R.IMPLEMENTER,
                [S.IMPLEMENTATION, S.MONITORING],
                "sensitive",
                [C.APBN_DAK, C.STAFF],
            ),
            ("Dinas PUPR", R.IMPLEMENTER, [S.PLANNING, S.IMPLEMENTATION], "sensitive", [C.APBD]),
            ("Disperkim", R.IMPLEMENTER, [S.IMPLEMENTATION], "sensitive", [C.APBD, C.FACILITIES]),
            ("DKP", R.IMPLEMENTER, [S.IMPLEMENTATION], "sensitive", [C.APBD]),
            ("Disdikbud", R.IMPLEMENTER, [S.IMPLEMENTATION], "sensitive", [C.STAFF, C.FACILITIES]),
            ("Kemenag", R.IMPLEMENTER, [S.IMPLEMENTATION], "sensitive", [C.STAFF]),
            ("Dinsos", R.DATA_PROVIDER, [S.PLANNING, S.MONITORING], "sensitive", [C.DATA]),
            ("Disdukcapil", R.DATA_PROVIDER, [S.PLANNING], "sensitive", [C.DATA]),
            ("Diskominfo", R.DATA_PROVIDER, [S.MONITORING], "sensitive", [C.DATA]),
            ("BPKAD", R.FUNDER, [S.BUDGETING], "sensitive", [C.APBD]),
            ("Inspektorat", R.MONITORING, [S.CONTROL], "sensitive", [C.STAFF]),
            ("TP PKK", R.IMPLEMENTER, [S.IMPLEMENTATION, S.MONITORING], "sensitive", [C.STAFF]),
            (
                "UNICEF",
                R.TECHNICAL_SUPPORT,
                [S.PLANNING, S.MONITORING],
                "specific",
                [C.DONOR_FUNDS, C.DATA],
            ),
            (
                "FKM Untad",
                R.TECHNICAL_SUPPORT,
                [S.MONITORING, S.CONTROL],
                "specific",
                [C.STAFF, C.DATA],
            ),
            ("Bank Sulteng", R.FUNDER, [S.IMPLEMENTATION], "sensitive", [C.CSR]),
            ("WVI", R.IMPLEMENTER, [S.IMPLEMENTATION], "specific", [C.DONOR_FUNDS, C.STAFF]),
        ]
        for short_name, role, stages, intervention, contributions in plan:
            ProgrammeParticipant.objects.update_or_create(
                programme=programme,
                actor=by_short[short_name],
                defaults={
                    "role": role,
                    "stages": stages,
                    "intervention_type": InterventionType(intervention),
                    "contributions": contributions,
                },
            )
        return programme

    def seed_round(
        self, region, actors, programme, *, name, start, end, status, share, seed, improve=False
    ) -> AssessmentRound:
        round_, _ = AssessmentRound.objects.update_or_create(
            region=region,
            name=name,
            defaults={
                "programme": programme,
                "period_start": start,
                "period_end": end,
                "status": status,
            },
        )
        rng = random.Random(seed)
        ordered = sorted(actors, key=lambda actor: actor.pk)
        rows = []
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                picked = rng.random() < share
                level = _base_level(first.sector.code, second.sector.code) + rng.choice(
                    (-1, 0, 0, 0, 1)
                )
                if improve:
                    # The later round: most pairs hold, many move up a step, a few slip.
                    level += rng.choice((0, 0, 1, 1, -1))
                if not picked:
                    continue
                rows.append(
                    PairAssessment(
                        round=round_,
                        actor_a=first,
                        actor_b=second,
                        level=max(0, min(4, level)),
                        note="",
                    )
                )
        # With history, dated at the round's fieldwork, so the matrix "as of" a date and
        # the pair's history read as they would after a real round.
        stamp = timezone.make_aware(datetime.combine(start + timedelta(days=60), time(10)))
        existing = {
            (pair.actor_a_id, pair.actor_b_id): pair
            for pair in PairAssessment.objects.filter(round=round_)
        }
        new = [row for row in rows if (row.actor_a_id, row.actor_b_id) not in existing]
        changed = []
        for row in rows:
            current = existing.get((row.actor_a_id, row.actor_b_id))
            if current is not None and current.level != row.level:
                current.level = row.level
                changed.append(current)
        bulk_create_with_history(new, PairAssessment, batch_size=1000, default_date=stamp)
        bulk_update_with_history(
            changed, PairAssessment, ["level"], batch_size=1000, default_date=stamp
        )
        PairAssessment.objects.filter(round=round_).update(scored_at=stamp)
        self.stdout.write(f"  {name}: {len(rows)} pairs scored ({round_.get_status_display()})")
        return round_

    def seed_users(self, regions) -> None:
        User = get_user_model()
        self.stdout.write("\nDemo users (passwords are new on every run):")
        for username, role, region_code, full_name in USERS:
            first, _, last = full_name.partition(" ")
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "is_staff": role == Role.ADMIN},
            )
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            Jurisdiction.objects.get_or_create(user=user, region=regions[region_code])
            self.stdout.write(f"  {role:<8} {username:<14} {password}   ({regions[region_code]})")
