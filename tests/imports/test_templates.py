"""Each kind of import has an XLSX template in the user's language: a header row, an example
row, drop-down lists of the labels the interface shows, and instructions. Filled in with
those labels, in Bahasa Indonesia, it imports."""

import io

import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import load_workbook

from actors.models import Actor, ActorKind, GovernmentLevel, Region
from assessments.models import PairAssessment
from imports.services import IMPORTERS, run_import
from tests.factories import SectorFactory, score
from tests.imports.conftest import snapshot

PUPR = "Dinas Pekerjaan Umum & Penataan Ruang – Bidang Cipta Karya"


def template(kind, user, round_=None, language="id"):
    with translation.override(language):
        data = IMPORTERS[kind].template(user=user, round=round_)
    return load_workbook(io.BytesIO(data))


def choices(workbook, column_letter):
    """The values a drop-down on the data sheet offers."""
    data = workbook.worksheets[0]
    for validation in data.data_validations.dataValidation:
        if any(str(cell_range).startswith(column_letter) for cell_range in validation.sqref.ranges):
            sheet_name, cells = validation.formula1.rsplit("!", 1)
            sheet = workbook[sheet_name.strip("'")]
            return [row[0].value for row in sheet[cells.replace("$", "")]]
    return None


def saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def public_works(db):
    return SectorFactory(
        code="public_works",
        name_id="Pekerjaan umum, air minum dan sanitasi",
        name_en="Public works, water and sanitation",
    )


def test_the_actor_template_in_indonesian(admin_user, actors, public_works):
    workbook = template("actors", admin_user)
    assert [sheet.title for sheet in workbook.worksheets] == ["Data", "Petunjuk", "Daftar"]
    data = workbook["Data"]
    assert [cell.value for cell in data[1]] == [
        "Nama", "Nama singkat", "Jenis", "Sektor", "Tingkat pemerintahan", "Kode wilayah",
        "Aktif",
    ]  # fmt: skip
    example = [cell.value for cell in data[2]]
    assert example == [  # an actor that exists: left in, the row changes nothing
        "Bappeda Kabupaten Sigi", "Bappeda", "Perangkat daerah / instansi pemerintah (OPD)",
        "Perencanaan", "Kabupaten/kota", "72.10", "ya",
    ]  # fmt: skip
    assert choices(workbook, "C")[:2] == [
        "Perangkat daerah / instansi pemerintah (OPD)",
        "Fasilitas kesehatan",
    ]
    assert "Pekerjaan umum, air minum dan sanitasi" in choices(workbook, "D")
    assert choices(workbook, "E") == [
        "Pusat (nasional)", "Provinsi", "Kabupaten/kota", "Kecamatan", "Desa/kelurahan",
    ]  # fmt: skip
    assert choices(workbook, "G") == ["ya", "tidak"]
    assert choices(workbook, "A") is None  # a name is free text
    instructions = " ".join(str(row[0].value) for row in workbook["Petunjuk"].iter_rows())
    assert "Nama singkat" in instructions and "pratinjau" in instructions.lower()


def test_the_actor_template_filled_in_with_indonesian_labels_imports(
    admin_user, actors, public_works
):
    workbook = template("actors", admin_user)
    data = workbook["Data"]
    kinds, sectors, levels = choices(workbook, "C"), choices(workbook, "D"), choices(workbook, "E")
    data.append(
        [PUPR, "Dinas PUPR", kinds[0], "Pekerjaan umum, air minum dan sanitasi", levels[2],
         "72.10", "ya"]
    )  # fmt: skip
    data.append(["Puskesmas Kalukubula", "PKM Kalukubula", kinds[1], sectors[0], levels[3],
                 "72.10", "tidak"])  # fmt: skip
    plan = run_import(kind="actors", data=saved(workbook), user=admin_user, dry_run=True)
    assert not plan.errors, plan.errors
    assert plan.as_dict() == {"created": 2, "updated": 0, "unchanged": 1}  # row 2: the example
    run_import(kind="actors", data=saved(workbook), user=admin_user)
    pupr = Actor.objects.get(name=PUPR)
    assert (pupr.kind, pupr.sector, pupr.government_level, pupr.is_active) == (
        ActorKind.GOVERNMENT,
        public_works,
        GovernmentLevel.DISTRICT,
        True,
    )
    puskesmas = Actor.objects.get(short_name="PKM Kalukubula")
    assert (puskesmas.kind, puskesmas.government_level, puskesmas.is_active) == (
        ActorKind.HEALTH_FACILITY,
        GovernmentLevel.SUBDISTRICT,
        False,
    )


def test_the_templates_follow_the_users_language(admin_user, actors):
    workbook = template("actors", admin_user, language="en")
    assert [sheet.title for sheet in workbook.worksheets] == ["Data", "Instructions", "Lists"]
    assert workbook["Data"]["A1"].value == "Name"
    assert choices(workbook, "C")[0] == "Government agency (OPD)"
    assert choices(workbook, "G") == ["yes", "no"]


def test_the_region_template_filled_in_imports(admin_user, district):
    workbook = template("regions", admin_user)
    data = workbook["Data"]
    assert [cell.value for cell in data[1]] == ["Kode", "Nama"]
    data.append(["7210012001", "Desa Ngatabaru"])
    data.append(["72.10.01", "Sigi Biromaru"])
    plan = run_import(kind="regions", data=saved(workbook), user=admin_user)
    assert plan.as_dict() == {"created": 2, "updated": 0, "unchanged": 1}
    assert Region.objects.get(code="72.10.01.2001").parent.code == "72.10.01"


def test_the_edge_list_template_of_a_round_filled_in_imports(admin_user, open_round, actors):
    score(open_round, actors[0], actors[1], 2)
    workbook = template("edges", admin_user, open_round)
    data = workbook["Data"]
    assert [cell.value for cell in data[1]] == ["Aktor A", "Aktor B", "Tingkat"]
    names, levels = choices(workbook, "A"), choices(workbook, "C")
    assert sorted(names) == sorted(actor.name for actor in actors)
    assert levels == [
        "0 – Tidak ada", "1 – Kooperatif", "2 – Koordinasi", "3 – Kolaborasi", "4 – Integrasi",
    ]  # fmt: skip
    assert [cell.value for cell in data[2]] == [
        "Dinas Kesehatan Kabupaten Sigi",
        "Puskesmas Biromaru",
        "2 – Koordinasi",
    ]  # the example is a scored pair: left in, it changes nothing
    data.append(["Dinas Kesehatan Kabupaten Sigi", "Bappeda Kabupaten Sigi", "3 – Kolaborasi"])
    data.append(["Bappeda Kabupaten Sigi", "Dinas Pendidikan Kabupaten Sigi", "Kooperatif"])
    plan = run_import(kind="edges", data=saved(workbook), user=admin_user, round=open_round)
    assert plan.as_dict() == {"created": 2, "updated": 0, "unchanged": 1}
    assert PairAssessment.objects.filter(round=open_round).count() == 3


def test_the_matrix_template_of_a_round_filled_in_imports(admin_user, open_round, actors):
    score(open_round, actors[0], actors[1], 4)
    workbook = template("matrix", admin_user, open_round)
    data = workbook["Data"]
    header = [cell.value for cell in data[1]]
    assert header[0] == "Aktor" and sorted(header[1:]) == sorted(a.name for a in actors)
    position = {name: index for index, name in enumerate(header[1:], start=2)}
    row_of = {data.cell(row=row, column=1).value: row for row in range(2, len(actors) + 2)}
    dinkes, pkm = "Dinas Kesehatan Kabupaten Sigi", "Puskesmas Biromaru"
    first, second = sorted([dinkes, pkm], key=lambda name: position[name])
    assert data.cell(row=row_of[first], column=position[second]).value == "4 – Integrasi"
    assert data.cell(row=row_of[second], column=position[first]).value is None
    levels = [row[0].value for row in workbook["Daftar"]["A2:A6"]]
    bappeda, disdik = "Bappeda Kabupaten Sigi", "Dinas Pendidikan Kabupaten Sigi"
    first, second = sorted([bappeda, disdik], key=lambda name: position[name])
    data.cell(row=row_of[first], column=position[second]).value = levels[2]
    before_pairs = PairAssessment.objects.count()
    plan = run_import(kind="matrix", data=saved(workbook), user=admin_user, round=open_round)
    assert plan.as_dict() == {"created": 1, "updated": 0, "unchanged": 1}
    assert PairAssessment.objects.count() == before_pairs + 1
    new_pair = PairAssessment.objects.get(
        actor_a__name__in=[bappeda, disdik], actor_b__name__in=[bappeda, disdik]
    )
    assert new_pair.level == 2


def test_an_unchanged_template_imports_as_unchanged(admin_user, open_round, actors):
    score(open_round, actors[0], actors[1], 1)
    for kind, round_ in (("actors", None), ("regions", None), ("matrix", open_round)):
        data = saved(template(kind, admin_user, round_))
        before = snapshot()
        plan = run_import(kind=kind, data=data, user=admin_user, round=round_)
        assert plan.created == plan.updated == 0, kind
        assert snapshot() == before


# The page -------------------------------------------------------------------------------


@pytest.fixture
def admin_page(admin_client_):
    admin_client_.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    return admin_client_


def test_the_page_offers_every_template(admin_page, open_round):
    html = admin_page.get("/imports/").content.decode()
    assert 'href="/imports/templates/regions.xlsx"' in html
    assert 'href="/imports/templates/actors.xlsx"' in html
    assert f'href="/imports/templates/matrix.xlsx?round={open_round.pk}"' in html
    assert f'href="/imports/templates/edges.xlsx?round={open_round.pk}"' in html


def test_the_template_downloads_in_the_users_language(admin_page, open_round, actors):
    response = admin_page.get("/imports/templates/actors.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="templat-actors.xlsx"'
    assert load_workbook(io.BytesIO(response.content))["Data"]["A1"].value == "Nama"
    pairs = admin_page.get(f"/imports/templates/edges.xlsx?round={open_round.pk}")
    assert pairs.status_code == 200
    assert "pemetaan" in pairs["Content-Disposition"].lower()


@pytest.mark.parametrize(
    "url",
    [
        "/imports/templates/programmes.xlsx",
        "/imports/templates/edges.xlsx",
        "/imports/templates/matrix.xlsx?round=999999",
        "/imports/templates/matrix.xlsx?round=abc",
    ],
)
def test_a_template_that_does_not_exist_is_404(admin_page, open_round, url):
    assert admin_page.get(url).status_code == 404


def test_a_closed_or_far_rounds_template_is_not_offered(admin_page, open_round, other_round):
    from assessments.models import RoundStatus
    from tests.factories import RegionFactory, RoundFactory

    far = RoundFactory(region=RegionFactory(code="73", name="Sulawesi Selatan", level=1))
    open_round.status = RoundStatus.CLOSED
    open_round.save()
    for round_ in (open_round, far):
        assert admin_page.get(f"/imports/templates/edges.xlsx?round={round_.pk}").status_code == 404


# fmt: off
PERSONAS = [("scorer_client", 403), ("other_scorer_client", 403), ("planner_client", 403),
            ("viewer_client", 403), ("client", 302)]
# fmt: on


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_only_admins_download_templates(request, open_round, persona, status):
    client = request.getfixturevalue(persona)
    assert client.get("/imports/templates/actors.xlsx").status_code == status
    assert client.get(f"/imports/templates/edges.xlsx?round={open_round.pk}").status_code == status
