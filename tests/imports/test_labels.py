"""Coded columns take what the interface shows: the code, the Indonesian label or the
English label, whatever the case and spacing; a spelling that fits two values is refused."""

import pytest

from actors.models import Actor, ActorKind, GovernmentLevel
from assessments.models import PairAssessment
from imports.actors import import_actors
from imports.pairs import import_pairs
from imports.tabular import ImportRefused
from tests.factories import SectorFactory
from tests.imports.conftest import csv_bytes, messages, snapshot

ACTOR_HEADER = ("name", "short_name", "kind", "sector", "government_level", "region_code")
PUPR = "Dinas Pekerjaan Umum & Penataan Ruang – Bidang Cipta Karya"


@pytest.fixture
def public_works(db):
    return SectorFactory(
        code="public_works",
        name_id="Pekerjaan umum, air minum dan sanitasi",
        name_en="Public works, water and sanitation",
    )


def import_one(user, *, kind="government", sector="health", level="district", active=None):
    header = (*ACTOR_HEADER, "active") if active is not None else ACTOR_HEADER
    row = ("Dinas Sosial Kabupaten Sigi", "Dinsos", kind, sector, level, "72.10")
    data = csv_bytes(header, (*row, active) if active is not None else row, delimiter=";")
    import_actors(data=data, user=user)
    return Actor.objects.get()


def test_the_office_file_with_indonesian_labels_is_imported(admin_user, district, public_works):
    """The finding: Excel's Windows-1252 CSV with semicolons, in the interface's words."""
    data = (
        "Nama;Nama singkat;Jenis;Sektor;Tingkat pemerintahan;Kode wilayah;Aktif\r\n"
        f"{PUPR};Dinas PUPR;Pemerintah (OPD);Pekerjaan umum, air minum dan sanitasi;"
        "Kabupaten/kota;72.10;Ya\r\n"
    ).encode("cp1252")
    result = import_actors(data=data, user=admin_user)
    assert result.created == 1
    actor = Actor.objects.get()
    assert (actor.name, actor.kind, actor.sector, actor.government_level, actor.is_active) == (
        PUPR,
        ActorKind.GOVERNMENT,
        public_works,
        GovernmentLevel.DISTRICT,
        True,
    )


@pytest.mark.parametrize(
    "kind",
    [
        "government",
        "GOVERNMENT",
        "Perangkat daerah / instansi pemerintah (OPD)",
        "perangkat daerah/instansi pemerintah (opd)",
        "Government agency (OPD)",
        "  government   agency  (OPD) ",
        "OPD",
        "Pemerintah (OPD)",
    ],
)
def test_the_kind_by_code_or_label(admin_user, district, health, kind):
    assert import_one(admin_user, kind=kind).kind == ActorKind.GOVERNMENT


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("Lembaga swadaya masyarakat (LSM)", ActorKind.NGO),
        ("lsm", ActorKind.NGO),
        ("Swasta (CSR)", ActorKind.PRIVATE),
        ("Private sector", ActorKind.PRIVATE),
        ("Fasilitas kesehatan", ActorKind.HEALTH_FACILITY),
        ("Perguruan tinggi", ActorKind.ACADEMIC),
        ("Legislatif (DPRD)", ActorKind.LEGISLATURE),
        ("Mitra pembangunan / donor", ActorKind.DONOR),
        ("Community organisation", ActorKind.COMMUNITY),
    ],
)
def test_every_kind_reads_in_both_languages(admin_user, district, health, kind, expected):
    assert import_one(admin_user, kind=kind).kind == expected


@pytest.mark.parametrize(
    "sector",
    [
        "public_works",
        "Pekerjaan umum, air minum dan sanitasi",
        "PEKERJAAN UMUM,  AIR MINUM DAN SANITASI",
        "Public works, water and sanitation",
        " public works , water and sanitation ",
    ],
)
def test_the_sector_by_code_or_name_in_either_language(admin_user, district, public_works, sector):
    assert import_one(admin_user, sector=sector).sector == public_works


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("2", GovernmentLevel.DISTRICT),
        ("district", GovernmentLevel.DISTRICT),
        ("Kabupaten/kota", GovernmentLevel.DISTRICT),
        ("kabupaten / KOTA", GovernmentLevel.DISTRICT),
        ("District / city (kabupaten/kota)", GovernmentLevel.DISTRICT),
        ("kota", GovernmentLevel.DISTRICT),
        ("Pusat (nasional)", GovernmentLevel.NATIONAL),
        ("National (pusat)", GovernmentLevel.NATIONAL),
        ("Provinsi", GovernmentLevel.PROVINCE),
        ("Province (provinsi)", GovernmentLevel.PROVINCE),
        ("Kecamatan", GovernmentLevel.SUBDISTRICT),
        ("Subdistrict", GovernmentLevel.SUBDISTRICT),
        ("Desa/kelurahan", GovernmentLevel.VILLAGE),
        ("Village (desa/kelurahan)", GovernmentLevel.VILLAGE),
    ],
)
def test_the_government_level_by_number_key_or_label(admin_user, district, health, level, expected):
    assert import_one(admin_user, level=level).government_level == expected


@pytest.mark.parametrize(
    ("active", "expected"),
    [("ya", True), ("Ya", True), ("yes", True), ("TRUE", True), ("1", True),
     ("tidak", False), ("Tidak", False), ("no", False), ("No", False), ("0", False)],
)  # fmt: skip
def test_active_in_either_language(admin_user, district, health, active, expected):
    assert import_one(admin_user, active=active).is_active is expected


def test_a_label_that_fits_two_sectors_is_refused(admin_user, district, health):
    """One sector's English name is another's Indonesian name: neither is guessed."""
    SectorFactory(code="social", name_id="Sosial", name_en="Social affairs")
    SectorFactory(code="welfare", name_id="Social affairs", name_en="Welfare")
    before = snapshot()
    with pytest.raises(ImportRefused) as refused:
        import_one(admin_user, sector="social  AFFAIRS")
    [(row, column, message)] = messages(refused.value)
    assert (row, column) == (2, "sector")
    assert "could mean" in message and "Social affairs" in message and "Welfare" in message
    assert snapshot() == before


def test_an_unknown_label_lists_the_labels_in_the_users_language(admin_user, district, health):
    from django.utils import translation

    with translation.override("id"), pytest.raises(ImportRefused) as refused:
        import_one(admin_user, kind="Dinas")
    message = messages(refused.value)[0][2]
    assert "Perangkat daerah / instansi pemerintah (OPD)" in message
    assert "Swasta (CSR)" in message


@pytest.mark.parametrize(
    ("level", "expected"),
    [("3", 3), ("3.0", 3), ("Kolaborasi", 3), ("kolaborasi", 3), ("Collaboration", 3),
     ("3 – Kolaborasi", 3), ("3 - collaboration", 3), ("3 Kolaborasi", 3),
     ("Tidak ada", 0), ("none", 0), ("0 – Tidak ada", 0), ("Kooperatif", 1),
     ("Koordinasi", 2), ("Integrasi", 4), ("integration", 4)],
)  # fmt: skip
def test_the_level_of_a_pair_by_number_or_name(admin_user, open_round, actors, level, expected):
    data = csv_bytes(("actor_a", "actor_b", "level"), ("Dinkes", "Bappeda", level))
    import_pairs(data=data, round=open_round, user=admin_user, shape="edges")
    assert PairAssessment.objects.get().level == expected


@pytest.mark.parametrize("level", ["3 – Koordinasi", "5", "tinggi", "2.5"])
def test_a_level_whose_number_and_name_disagree_is_refused(admin_user, open_round, actors, level):
    data = csv_bytes(("actor_a", "actor_b", "level"), ("Dinkes", "Bappeda", level))
    with pytest.raises(ImportRefused) as refused:
        import_pairs(data=data, round=open_round, user=admin_user, shape="edges")
    assert "whole number from 0 to 4" in messages(refused.value)[0][2]
    assert not PairAssessment.objects.exists()


def test_a_matrix_takes_level_names(admin_user, open_round, actors):
    data = csv_bytes(
        ("", "Dinkes", "Bappeda"),
        ("Dinkes", "", "Koordinasi"),
        ("Bappeda", "", ""),
        delimiter=";",
    )
    import_pairs(data=data, round=open_round, user=admin_user, shape="matrix")
    assert PairAssessment.objects.get().level == 2


def test_actor_headers_in_either_language(admin_user, district, health):
    data = csv_bytes(
        ("NAMA", "Nama singkat", "Jenis", "Sector", "Government level", "Kode wilayah"),
        ("Dinas Sosial Kabupaten Sigi", "Dinsos", "OPD", "Kesehatan", "Kabupaten", "7210"),
    )
    assert import_actors(data=data, user=admin_user).created == 1


def test_edge_headers_in_either_language(admin_user, open_round, actors):
    data = csv_bytes(("Aktor A", "Actor B", "Tingkat"), ("Dinkes", "Bappeda", "Koordinasi"))
    import_pairs(data=data, round=open_round, user=admin_user, shape="edges")
    assert PairAssessment.objects.get().level == 2
