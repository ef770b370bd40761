"""A Sigi round with a gap pair, and a snapshot of the follow-up tables to prove that a
refusal wrote nothing."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from followup.models import ActionStatus, FollowUpAction
from followup.services import action_create, action_update, document_upload
from tests.factories import ActorFactory, score
from tests.security.conftest import far_district, far_province, users, world  # noqa: F401


def snapshot():
    """Every action, its involved actors and its history rows: equal snapshots mean
    nothing was written."""
    return {
        "actions": list(FollowUpAction.objects.order_by("pk").values()),
        "involved": list(FollowUpAction.involved.through.objects.order_by("pk").values()),
        "history": list(FollowUpAction.history.order_by("pk").values()),
    }


@pytest.fixture
def outsider(open_round, district, health):
    """An actor of Sigi that is not on the roster of ``open_round``."""
    return ActorFactory(
        name="Yayasan Gizi Sigi",
        short_name="YGS",
        sector=health,
        home_region=district,
        join_rounds=False,
    )


@pytest.fixture
def values(actors):
    """Good values for an action on the pair Dinkes ↔ Bappeda."""
    dinkes, _, bappeda, disdik = actors
    return {
        "actor_a": bappeda,
        "actor_b": dinkes,
        "target_level": 3,
        "mechanism": "joint_planning_meeting",
        "owner": bappeda,
        "involved": [dinkes, disdik],
        "aksi": 3,
        "due_date": date(2027, 3, 31),
        "notes": "Rapat bersama sebelum rembuk stunting.",
    }


@pytest.fixture
def checked(admin_user, last_year, open_round, actors, health, planning):
    """Actions from 2025, and what 2026 scored: Dinkes–Bappeda 3, Dinkes–Puskesmas 2."""
    dinkes, puskesmas, bappeda, disdik = actors
    score(last_year, dinkes, bappeda, 1)
    score(open_round, dinkes, bappeda, 3)
    score(open_round, dinkes, puskesmas, 2)

    def make(target, **subject):
        return action_create(
            user=admin_user,
            round=last_year,
            target_level=target,
            mechanism="joint_planning_meeting",
            owner=bappeda,
            aksi=3,
            due_date=date(2025, 10, 1),
            status="done",
            **subject,
        )

    return {
        "reached": make(3, actor_a=dinkes, actor_b=bappeda),
        "below": make(4, actor_a=puskesmas, actor_b=dinkes),
        "not_assessed": make(2, actor_a=bappeda, actor_b=disdik),
        # Health × planning in 2026: Dinkes–Bappeda 3 only (Puskesmas–Bappeda unscored).
        "sectors": make(3, sector_a=planning, sector_b=health),
        # Dinkes's ties in 2026: 3 and 2, mean 2.5.
        "actor": make(3, actor_a=dinkes),
        "this_year": action_create(
            user=admin_user,
            round=open_round,
            actor_a=dinkes,
            actor_b=bappeda,
            target_level=4,
            mechanism="data_sharing",
            owner=dinkes,
            aksi=6,
            due_date=date(2026, 12, 31),
        ),
    }


# Documents of every subject (tests of the aksi page, the region's documents, the API) ----


def pdf_file(name="notulen.pdf"):
    from tests.followup.test_documents import pdf_bytes

    return SimpleUploadedFile(name, pdf_bytes())


def make_action(user, round_, actors, *, aksi=3, due=date(2027, 3, 31), **changes):
    dinkes, _pkm, bappeda, _disdik = actors
    return action_create(
        user=user,
        round=round_,
        actor_a=dinkes,
        actor_b=bappeda,
        target_level=3,
        mechanism="joint_planning_meeting",
        owner=bappeda,
        aksi=aksi,
        due_date=due,
        **changes,
    )


@pytest.fixture
def filed(admin_user, open_round, actors):
    """Aksi 3 with an action and its minutes; aksi 1 with a document of its own and an
    overdue action; a pair document under aksi 6 and one under no aksi."""
    dinkes, pkm, bappeda, _disdik = actors
    rembuk = make_action(admin_user, open_round, actors, aksi=3)
    late = make_action(admin_user, open_round, actors, aksi=1, due=date(2026, 11, 1))
    done = make_action(admin_user, open_round, actors, aksi=8)
    action_update(action=done, user=admin_user, status=ActionStatus.DONE)
    return {
        "rembuk": rembuk,
        "late": late,
        "done": done,
        "minutes": document_upload(
            user=admin_user, file=pdf_file("notulen-rembuk.pdf"), title="Notulen", action=rembuk
        ),
        "analysis": document_upload(
            user=admin_user,
            file=SimpleUploadedFile("analisis.png", png()),
            title="Analisis situasi 2026",
            region=open_round.region,
            round=open_round,
            aksi=1,
        ),
        "pair": document_upload(
            user=admin_user,
            file=pdf_file("mou.pdf"),
            title="MoU data gizi",
            round=open_round,
            actor_a=bappeda,
            actor_b=dinkes,
            aksi=6,
        ),
        "unfiled": document_upload(
            user=admin_user,
            file=pdf_file("foto.pdf"),
            round=open_round,
            actor_a=dinkes,
            actor_b=pkm,
        ),
    }


def png() -> bytes:
    from tests.followup.test_documents import PNG

    return PNG
