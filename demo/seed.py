"""Load the demo: Sulawesi Tengah with its kabupaten/kota, and the kecamatan and villages of
Kabupaten Sigi and Kota Palu; the sectors; the actors of the province and of both districts
at their government levels; a stunting programme per district; a closed 2025 and an open
2026 mapping round per district and an open 2026 round for the province; one user per
role; in Sigi's open round, the partners' own views of their ties (``demo.partners``);
follow-up actions (RTL) from Sigi's 2025 round in every status.

Rounds are written as the product writes them: created with their roster, opened, scored
and closed through ``assessments.rounds``, the pairs checked by ``clean_pair_values`` and
written in bulk with their history, as an import is. Each round's history is dated at its
fieldwork, so "as of" a date and a pair's history read as they would after a real round.

Running it again changes nothing but the passwords, which it prints (they exist nowhere
else): regions, sectors, actors and programmes are brought to what the demo says, only
where they differ, and a round that exists is kept as it is.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import combinations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import Jurisdiction, Role
from accounts.roles import ensure_role_groups
from actors.models import (
    Actor,
    Contribution,
    InterventionType,
    ParticipantRole,
    Programme,
    ProgrammeParticipant,
    ProgrammeStage,
    Region,
    Sector,
    TargetGroup,
    level_for_code,
)
from assessments.levels import level_role_set
from assessments.models import AssessmentRound, PairAssessment, RoundMember, RoundStatus
from assessments.rounds import round_close, round_create, round_open
from assessments.services import (
    canonical_pair,
    clean_pair_values,
    lock_open_round,
    validate_scorable_pair,
)
from assessments.summaries import refresh_round_summary
from demo import actors as demo_actors
from demo import documents as demo_files
from demo.levels import MAIN_ROLES
from demo.partners import seed_partners
from demo.regions import DISTRICTS, PROVINCE, SUBDISTRICTS, VILLAGES
from demo.scoring import Member, Scored, first_round, next_round, pair_rng
from demo.sectors import SECTORS
from followup.models import ActionStatus, Aksi, EvidenceDocument, FollowUpAction
from followup.services import action_create, document_upload

USERS = [
    ("admin", Role.ADMIN, "72", "Admin Dinkes Provinsi"),
    ("penilai_sigi", Role.SCORER, "72.10", "Penilai Dinkes Sigi"),
    ("penilai_palu", Role.SCORER, "72.71", "Penilai Dinkes Palu"),
    ("perencana", Role.PLANNER, "72", "Perencana Bappeda Provinsi"),
    ("pembaca", Role.VIEWER, "72.10", "Pembaca Kabupaten Sigi"),
]
SCORERS = {"72": "admin", "72.10": "penilai_sigi", "72.71": "penilai_palu"}


@dataclass(frozen=True)
class Period:
    """A round's period and the moments of its life (WITA)."""

    start: date
    end: date
    closes: bool

    def moment(self, day: date, hour: int) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour)))

    @property
    def opened(self) -> datetime:
        return self.moment(self.start + timedelta(days=5), 9)

    @property
    def scored(self) -> datetime:
        return self.moment(self.start + timedelta(days=60), 10)

    @property
    def closed(self) -> datetime:
        return self.moment(self.end + timedelta(days=1), 16)


FIRST = Period(date(2025, 1, 1), date(2025, 6, 30), closes=True)
LATER = Period(date(2026, 1, 1), date(2026, 12, 31), closes=False)


@transaction.atomic
def seed_demo(*, out) -> None:
    """Load the demo (see the module's docstring), reporting to ``out``."""
    ensure_role_groups()
    regions = seed_regions(out)
    sectors = seed_sectors()
    users, passwords = seed_users(regions)
    admin = users["admin"]

    province = regions[PROVINCE[0]]
    province_actors = seed_actors(regions, demo_actors.PROVINCE_ACTORS, sectors)
    out.write(f"{province.name}: {len(province_actors)} actors")
    seed_rounds(
        province,
        {actor: 2025 for actor in province_actors},
        None,
        users=users,
        admin=admin,
        out=out,
        periods={"Pemetaan Konvergensi Provinsi 2026": LATER},
    )
    provincial = [a for a in province_actors if a.short_name in demo_actors.PROVINCIAL_MEMBERS]
    for code, place in demo_actors.DEMO_DISTRICTS.items():
        rows = demo_actors.actors_for(code)
        actors = seed_actors(regions, rows, sectors)
        out.write(f"{place}: {len(actors)} actors, {len(provincial)} provincial offices")
        programme = seed_programme(regions[code], actors + provincial)
        joins = {actor: row.joins for actor, row in zip(actors, rows, strict=True)}
        joins.update({actor: 2025 for actor in provincial})
        seed_rounds(
            regions[code],
            joins,
            programme,
            users=users,
            admin=admin,
            out=out,
            periods={
                f"Pemetaan Konvergensi {place} 2025": FIRST,
                f"Pemetaan Konvergensi {place} 2026": LATER,
            },
        )
    seed_partners(scorer=users[SCORERS["72.10"]], out=out)

    seed_actions(regions["72.10"], admin=admin, out=out)
    seed_documents(regions["72.10"], admin=admin, out=out)

    out.write("\nDemo users (passwords are new on every run):")
    for username, role, region_code, _full_name in USERS:
        region = regions[region_code]
        out.write(f"  {role:<8} {username:<14} {passwords[username]}   ({region})")


def _upsert(model, lookup: dict, values: dict):
    """The row of ``model`` found by ``lookup``, created or brought to ``values`` (checked
    by ``full_clean``) and saved only where it differs: a second run writes nothing."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        row = model(**lookup, **values)
    elif all(getattr(row, field) == value for field, value in values.items()):
        return row
    for field, value in values.items():
        setattr(row, field, value)
    row.full_clean()
    row.save()
    return row


def seed_regions(out) -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for code, name in [PROVINCE, *DISTRICTS, *SUBDISTRICTS, *VILLAGES]:
        parent = regions.get(code.rsplit(".", 1)[0]) if "." in code else None
        regions[code] = _upsert(
            Region, {"code": code}, {"name": name, "level": level_for_code(code), "parent": parent}
        )
    out.write(
        f"Regions: {len(regions)} (Sulawesi Tengah, its kabupaten/kota, the kecamatan of Sigi "
        "and Palu, and the demo's villages)"
    )
    return regions


def seed_sectors() -> dict[str, Sector]:
    return {
        code: _upsert(
            Sector,
            {"code": code},
            {"name_id": name_id, "name_en": name_en, "is_health": is_health, "sort_order": order},
        )
        for order, (code, name_id, name_en, is_health) in enumerate(SECTORS)
    }


def seed_actors(regions, rows, sectors) -> list[Actor]:
    """The actors of ``rows``, each at its home region's government level."""
    return [
        _upsert(
            Actor,
            {"home_region": regions[row.region], "name": row.name},
            {
                "short_name": row.short_name,
                "kind": row.kind,
                "sector": sectors[row.sector],
                "government_level": regions[row.region].level,
                "is_active": True,
            },
        )
        for row in rows
    ]


def seed_users(regions) -> tuple[dict, dict[str, str]]:
    """One user per role, each with a fresh password (returned, never stored in clear)."""
    User = get_user_model()
    users, passwords = {}, {}
    for username, role, region_code, full_name in USERS:
        first, _, last = full_name.partition(" ")
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "is_staff": role == Role.ADMIN},
        )
        passwords[username] = secrets.token_urlsafe(9)
        user.set_password(passwords[username])
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        Jurisdiction.objects.get_or_create(user=user, region=regions[region_code])
        users[username] = user
    return users, passwords


def seed_programme(district: Region, actors: list[Actor]) -> Programme:
    by_short = {actor.short_name: actor for actor in actors}
    programme = _upsert(
        Programme,
        {"region": district, "name": f"Percepatan Penurunan Stunting {district.name} 2025–2026"},
        {
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
        # Across levels: the provincial offices guide, the Puskesmas and villages deliver.
        ("Dinkes Prov", R.TECHNICAL_SUPPORT, [S.PLANNING, S.MONITORING], "specific", [C.STAFF]),
        ("Bappeda Prov", R.MONITORING, [S.PLANNING, S.CONTROL], "sensitive", [C.DATA]),
    ]
    # Every Puskesmas delivers the nutrition-specific services; every village government
    # funds its part from the village fund.
    plan += [
        (actor.short_name, R.IMPLEMENTER, [S.IMPLEMENTATION, S.MONITORING], "specific", [C.STAFF])
        for actor in actors
        if actor.short_name.startswith("PKM ")
    ]
    plan += [
        (
            actor.short_name,
            R.IMPLEMENTER,
            [S.BUDGETING, S.IMPLEMENTATION],
            "sensitive",
            [C.DANA_DESA],
        )
        for actor in actors
        if actor.short_name.startswith("Desa ")
    ]
    for short_name, role, stages, intervention, contributions in plan:
        _upsert(
            ProgrammeParticipant,
            {"programme": programme, "actor": by_short[short_name]},
            {
                "role": role,
                "stages": stages,
                "intervention_type": InterventionType(intervention),
                "contributions": contributions,
            },
        )
    return programme


def seed_rounds(region, joins: dict[Actor, int], programme, *, users, admin, out, periods):
    """The region's rounds, one per entry of ``periods`` (name → Period), oldest first:
    each has on its roster the actors that had joined by its year. A pair's values in a
    later round follow from those in the round before (``demo.scoring``)."""
    seed = int(region.code.replace(".", ""))
    members = {actor: _member(actor) for actor in joins}
    values: dict[str, dict[tuple[Actor, Actor], Scored]] = {name: {} for name in periods}
    for a, b in combinations(sorted(joins, key=lambda actor: actor.name), 2):
        rng = pair_rng(seed, members[a], members[b])
        previous = None
        was_member = False
        for name, period in periods.items():
            if max(joins[a], joins[b]) > period.start.year:
                continue
            if was_member:
                current = next_round(members[a], members[b], previous, rng)
            else:
                current = first_round(members[a], members[b], rng)
            if current is not None:
                values[name][a, b] = current
            previous, was_member = current, True

    scorer = users[SCORERS[region.code]]
    for name, period in periods.items():
        if AssessmentRound.objects.filter(region=region, name=name).exists():
            out.write(f"  {name}: kept as it is")
            continue
        roster = [actor for actor, year in joins.items() if year <= period.start.year]
        round_ = round_create(
            user=admin,
            region=region,
            name=name,
            period_start=period.start,
            period_end=period.end,
            programme=programme,
            members=roster,
        )
        round_open(user=admin, round=round_)
        score_round(round_, values[name], scorer=scorer, moment=period.scored)
        # Each level's main role (Kim et al.'s Table 2, first column), as the scorers
        # record it on the by-level page, before the round closes.
        for level in sorted({actor.government_level for actor in roster}):
            if level in MAIN_ROLES:
                level_role_set(
                    round=round_, government_level=level, main_role=MAIN_ROLES[level][0], user=admin
                )
        if period.closes:
            round_close(user=admin, round=round_)
        date_history(round_, period)
        round_.refresh_from_db()
        out.write(
            f"  {name}: {len(roster)} members, {len(values[name])} pairs scored "
            f"({round_.get_status_display()})"
        )


def _member(actor: Actor) -> Member:
    return Member(
        name=actor.name,
        kind=actor.kind,
        sector=actor.sector.code,
        level=actor.government_level,
        region=actor.home_region.code,
    )


def score_round(round_, scored: dict[tuple[Actor, Actor], Scored], *, scorer, moment) -> None:
    """Write the round's pairs as an import does: each checked by the scoring rules, then
    all in bulk with their history, dated ``moment``."""
    lock_open_round(round_)
    member_ids = set(round_.members.values_list("actor_id", flat=True))
    rows = []
    for (a, b), values in scored.items():
        cleaned = clean_pair_values(**values.as_values())
        validate_scorable_pair(round=round_, actor_a=a, actor_b=b, members=member_ids)
        first, second = canonical_pair(a, b)
        rows.append(
            PairAssessment(round=round_, actor_a=first, actor_b=second, scored_by=scorer, **cleaned)
        )
    bulk_create_with_history(
        rows, PairAssessment, batch_size=1000, default_user=scorer, default_date=moment
    )
    # bulk_create stamps auto_now fields with the current time.
    PairAssessment.objects.filter(round=round_).update(scored_at=moment)
    # As every write to a round's pairs does: the dashboards read the round's summary.
    refresh_round_summary(round_.pk)


def date_history(round_: AssessmentRound, period: Period) -> None:
    """Date the round's life at its fieldwork, not at the moment the demo was loaded: it
    was created and opened (with its roster) at ``period.opened`` and, if it closes, closed
    (its roster frozen) at ``period.closed``."""
    AssessmentRound.objects.filter(pk=round_.pk).update(created_at=period.opened)
    history = AssessmentRound.history.filter(id=round_.pk)
    history.exclude(status=RoundStatus.CLOSED).update(history_date=period.opened)
    members = RoundMember.history.filter(round_id=round_.pk)
    members.filter(history_type="+").update(history_date=period.opened)
    if period.closes:
        history.filter(status=RoundStatus.CLOSED).update(history_date=period.closed)
        members.filter(frozen_at__isnull=False).update(
            history_date=period.closed, frozen_at=period.closed
        )
        RoundMember.objects.filter(round=round_).update(frozen_at=period.closed)


# Follow-up actions (RTL) of Sigi's 2025 round. Fixed dates, never today's: the statuses
# and due dates make some overdue on any day after 30 June 2026 (the tests run on
# 29–30 November 2026) and others done, their pair improved in 2026.
PLAN = [
    # (status, due date, aksi, mechanism, pair's change 2025 → 2026, note)
    (
        ActionStatus.DONE,
        date(2025, 9, 30),
        Aksi.REMBUK_STUNTING,
        "joint_planning_meeting",
        "improved",
        "Dibahas bersama pada rembuk stunting 2025; notulen disimpan.",
    ),
    (
        ActionStatus.DONE,
        date(2025, 10, 31),
        Aksi.DATA_MANAGEMENT,
        "data_sharing",
        "improved",
        "Data sasaran dibagi tiap bulan lewat grup kerja.",
    ),
    (
        ActionStatus.DONE,
        date(2025, 11, 30),
        Aksi.KPM_SUPPORT,
        "joint_training",
        "improved",
        "Pelatihan bersama KPM di tiga kecamatan.",
    ),
    (
        ActionStatus.DONE,
        date(2025, 12, 15),
        Aksi.ACTIVITY_PLAN,
        "joint_planning_meeting",
        "held",
        "Rapat terlaksana, belum ada kegiatan bersama sesudahnya.",
    ),
    (
        ActionStatus.IN_PROGRESS,
        date(2026, 3, 31),
        Aksi.STUNTING_MEASUREMENT,
        "joint_monitoring",
        "held",
        "Jadwal pemantauan bersama masih disusun.",
    ),
    (
        ActionStatus.IN_PROGRESS,
        date(2026, 6, 30),
        Aksi.PERFORMANCE_REVIEW,
        "review_meeting",
        "held",
        "",
    ),
    (
        ActionStatus.PLANNED,
        date(2026, 5, 31),
        Aksi.SITUATION_ANALYSIS,
        "data_sharing",
        "held",
        "",
    ),
    (
        ActionStatus.PLANNED,
        date(2027, 3, 31),
        Aksi.VILLAGE_REGULATION,
        "joint_supervision",
        "held",
        "Menunggu peraturan bupati tentang peran desa.",
    ),
    (
        ActionStatus.DROPPED,
        date(2025, 12, 31),
        Aksi.KPM_SUPPORT,
        "joint_service_delivery",
        "held",
        "Dibatalkan: anggaran dialihkan.",
    ),
]


HEALTH_PLANNING = ("health", "planning")


def seed_actions(district: Region, *, admin, out) -> None:
    """Actions on gap pairs of the district's 2025 round (district offices, health with
    another sector, below collaboration), chosen from what the rounds scored so that the
    done ones are followed by a pair that improved in 2026 and the others by a pair that
    held or fell; and one on a sector pair. Kept as they are once written."""
    rounds = list(AssessmentRound.objects.filter(region=district).order_by("period_start"))
    first, later = rounds[0], rounds[-1]
    if FollowUpAction.objects.filter(round=first).exists():
        out.write(f"  {first.name}: follow-up actions kept as they are")
        return
    level_of = {
        round_.pk: {
            (pair.actor_a_id, pair.actor_b_id): pair.level
            for pair in PairAssessment.objects.filter(round=round_)
        }
        for round_ in (first, later)
    }
    actors = {
        actor.pk: actor
        for actor in Actor.objects.filter(home_region=district).select_related("sector")
    }
    candidates = {"improved": [], "held": []}
    for (a, b), before in sorted(level_of[first.pk].items()):
        now = level_of[later.pk].get((a, b))
        if a not in actors or b not in actors or now is None or before >= 3:
            continue
        if actors[a].sector.is_health == actors[b].sector.is_health:
            continue
        kind = "improved" if now > before else "held"
        candidates[kind].append((actors[a], actors[b], before, now))
    for kind in candidates:  # by names, not ids: the same pairs on every database
        candidates[kind].sort(key=lambda pair: (pair[0].name, pair[1].name))
    taken = {"improved": 0, "held": 0}
    written = 0
    for status, due, aksi, mechanism, change, note in PLAN:
        if taken[change] >= len(candidates[change]):
            continue
        actor_a, actor_b, before, now = candidates[change][taken[change]]
        taken[change] += 1
        # Improved: the target was the level the pair reached in 2026; else one level up.
        target = now if change == "improved" else before + 1
        owner = actor_b if actor_a.sector.is_health else actor_a  # the non-health office
        action_create(
            user=admin,
            round=first,
            actor_a=actor_a,
            actor_b=actor_b,
            target_level=target,
            mechanism=mechanism,
            owner=owner,
            involved=[actor_a if owner == actor_b else actor_b],
            aksi=aksi,
            due_date=due,
            status=status,
            notes=note,
        )
        written += 1
    sectors = {sector.code: sector for sector in Sector.objects.filter(code__in=HEALTH_PLANNING)}
    bappeda = next(actor for actor in actors.values() if actor.short_name == "Bappeda")
    action_create(
        user=admin,
        round=first,
        sector_a=sectors["health"],
        sector_b=sectors["planning"],
        target_level=3,
        mechanism="joint_planning_meeting",
        owner=bappeda,
        aksi=Aksi.REMBUK_STUNTING,
        due_date=date(2026, 4, 30),
        status=ActionStatus.IN_PROGRESS,
        notes="Forum perencanaan kesehatan–Bappeda tiap triwulan.",
    )
    out.write(f"  {first.name}: {written + 1} follow-up actions")


def seed_documents(district: Region, *, admin, out) -> None:
    """A few small evidence files, so that the aksi page and the packs have content: the
    minutes and a photo of two done actions, a decree on a pair of the 2026 round, and
    the situation analysis filed under aksi 1. Kept as they are once written."""
    if EvidenceDocument.objects.filter(region=district).exists():
        out.write(f"  {district.name}: evidence documents kept as they are")
        return
    rounds = list(AssessmentRound.objects.filter(region=district).order_by("period_start"))
    first, later = rounds[0], rounds[-1]
    done = list(
        FollowUpAction.objects.filter(round=first, status=ActionStatus.DONE, actor_b__isnull=False)
        .select_related("actor_a", "actor_b")
        .order_by("due_date", "id")
    )

    def upload(name: str, content: bytes, title: str, **subject):
        document_upload(user=admin, file=ContentFile(content, name=name), title=title, **subject)

    written = 0
    for action, (name, title) in zip(
        done,
        (
            ("notulen-rapat-koordinasi.pdf", "Notulen rapat koordinasi lintas sektor"),
            ("foto-kegiatan-bersama.png", "Foto kegiatan bersama"),
        ),
        strict=False,
    ):
        if name.endswith(".pdf"):
            content = demo_files.pdf(
                title,
                [
                    f"{action.actor_a.name} - {action.actor_b.name}",
                    f"{district.name}, {action.due_date:%d-%m-%Y}",
                    "Kesepakatan: rapat bersama tiap triwulan dan berbagi data gizi.",
                ],
            )
        else:
            content = demo_files.png()
        upload(name, content, title, action=action)
        written += 1
    pair = (
        PairAssessment.objects.filter(round=later, level__gte=3)
        .select_related("actor_a", "actor_b")
        .order_by("-level", "actor_a__name", "actor_b__name")
        .first()
    )
    if pair is not None:
        upload(
            "sk-tim-percepatan.pdf",
            demo_files.pdf(
                "Surat Keputusan Tim Percepatan Penurunan Stunting",
                [f"{pair.actor_a.name} dan {pair.actor_b.name}", district.name],
            ),
            "SK Tim Percepatan Penurunan Stunting (TPPS)",
            round=later,
            actor_a=pair.actor_a,
            actor_b=pair.actor_b,
            aksi=Aksi.ACTIVITY_PLAN,
        )
        written += 1
    upload(
        "analisis-situasi.pdf",
        demo_files.pdf(
            "Analisis situasi stunting",
            [district.name, "Sebaran prevalensi, cakupan layanan, dan kesenjangan program."],
        ),
        "Laporan analisis situasi",
        region=district,
        round=later,
        aksi=Aksi.SITUATION_ANALYSIS,
    )
    out.write(f"  {district.name}: {written + 1} evidence documents")
