"""A tampered or foreign file is refused by restore_round with one message per problem
(section, row, field, what is wrong) and nothing written, compared row by row."""

import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from actors.models import Actor, Programme, ProgrammeParticipant, Region
from assessments.backup import export_round
from assessments.models import AssessmentRound, PairAssessment
from tests.backup.conftest import RESTORER
from tests.factories import RoundFactory
from tests.security.conftest import SNAPSHOT_MODELS

# Every table a restore writes, with the history of those that keep one.
TABLES = [
    *SNAPSHOT_MODELS,
    AssessmentRound.history.model,
    Actor.history.model,
    Programme.history.model,
    ProgrammeParticipant.history.model,
]


def snapshot() -> dict:
    tables = {}
    for model in TABLES:
        fields = [field.attname for field in model._meta.concrete_fields]
        tables[model._meta.db_table] = sorted(model.objects.values_list(*fields), key=repr)
    return tables


@pytest.fixture
def exported(full_round):
    """The export of a round with a programme and three pairs, and the round deleted: the
    file as it is restores (see the first test), so each refusal below is the tampering's."""
    data = export_round(round=full_round)
    full_round.assessments.all().delete()
    full_round.delete()
    return data


def run(tmp_path, content, language="en", user=RESTORER) -> tuple[str, str]:
    """Restore ``content`` (a dict is written as JSON); the error and the lines printed."""
    path = tmp_path / "round.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    errors = io.StringIO()
    with translation.override(language), pytest.raises(CommandError) as refused:
        call_command("restore_round", str(path), "--user", user, stderr=errors)
    return str(refused.value), errors.getvalue()


def test_the_untouched_file_restores(exported, tmp_path):
    path = tmp_path / "round.json"
    path.write_text(json.dumps(exported), "utf-8")
    call_command("restore_round", str(path), "--user", RESTORER, stdout=io.StringIO())
    assert PairAssessment.objects.count() == 3


def _palu_pair(data):
    """A pair with an actor of Kota Palu, which is not of the round's region."""
    data["regions"].append({"code": "72.71", "name": "Kota Palu", "level": 2, "parent": "72"})
    data["actors"].append(
        {**data["actors"][0], "region": "72.71", "name": "Dinas Kesehatan Kota Palu"}
    )
    data["pairs"][0]["actor_b"] = ["72.71", "Dinas Kesehatan Kota Palu"]
    data["members"].append({"actor": ["72.71", "Dinas Kesehatan Kota Palu"], "frozen_at": None})


def _history_out_of_order(data):
    history = data["pairs"][0]["history"]
    history.append({**history[0], "history_date": "2020-01-01T00:00:00+00:00"})


def _set(path, value):
    """A change at ``path`` (keys and list indexes) of the exported file."""

    def change(data):
        *parents, last = path
        target = data
        for key in parents:
            target = target[key]
        target[last] = value

    return change


def _delete(*path):
    def change(data):
        *parents, last = path
        target = data
        for key in parents:
            target = target[key]
        del target[last]

    return change


PAIR = "section pairs, row 1"
ACTOR = "section actors, row 1"

# name, change to the exported file, the line printed for it
CASES = [
    ("actor name formula", _set(["actors", 0, "name"], "=cmd|' /C calc'!A0"),
     f"{ACTOR}, field name: A name must not start with =, +, -, @ or a tab"),
    ("actor short name HTML", _set(["actors", 0, "short_name"], "<b>Dinkes</b>"),
     f"{ACTOR}, field short_name: A name must not contain < or >"),
    ("actor kind alien", _set(["actors", 0, "kind"], "alien"),
     f"{ACTOR}, field kind: Value 'alien' is not a valid choice."),
    ("actor level 9", _set(["actors", 0, "government_level"], 9),
     f"{ACTOR}, field government_level: Value 9 is not a valid choice."),
    ("actor level as text", _set(["actors", 0, "government_level"], "2"),
     f"{ACTOR}, field government_level: Expected a whole number."),
    ("actor unknown sector", _set(["actors", 0, "sector"], "magic"),
     f"{ACTOR}, field sector: No sector with the code magic."),
    ("actor unknown region", _set(["actors", 0, "region"], "72.99"),
     f"{ACTOR}, field region: No region with the code 72.99."),
    ("actor name too long", _set(["actors", 0, "name"], "x" * 201),
     f"{ACTOR}, field name: Ensure this value has at most 200 characters"),
    ("actor twice", lambda data: data["actors"].append(data["actors"][0]),
     "section actors, row 5, field name: The same actor (name and region) is already in row 1."),
    ("region code abc", _set(["regions", 1, "code"], "abc"),
     "section regions, row 2, field code: A Kemendagri code looks like 72"),
    ("region name HTML", _set(["regions", 0, "name"], "<script>alert(1)</script>"),
     "section regions, row 1, field name: A name must not contain < or >"),
    ("region level wrong", _set(["regions", 1, "level"], 3),
     "section regions, row 2, field level: The code 72.10 is the code of a District"),
    ("region parent unknown", _set(["regions", 1, "parent"], "73"),
     "section regions, row 2, field parent: The parent region 73 is neither in the file"),
    ("region parent not above", _set(["regions", 1, "code"], "73.10"),
     "section regions, row 2, field code: The code 73.10 does not start with its parent's"),
    ("sector code", _set(["sectors", 0, "code"], "bad code!"),
     "section sectors, row 1, field code: Enter a valid “slug”"),
    ("sector health flag as text", _set(["sectors", 0, "is_health"], "yes"),
     "section sectors, row 1, field is_health: Expected true or false."),
    ("round status", _set(["round", "status"], "archived"),
     "section round, field status: Value 'archived' is not a valid choice."),
    ("round date", _set(["round", "period_start"], "kemarin"),
     "section round, field period_start: “kemarin” value has an invalid date format."),
    ("round period reversed", _set(["round", "period_end"], "2025-01-01"),
     "section round: The period must end after it starts."),
    ("round unknown region", _set(["round", "region"], "72.99"),
     "section round, field region: No region with the code 72.99."),
    ("programme target group", _set(["programme", "target_groups"], ["aliens"]),
     "section programme, field target_groups: Not in the list of choices: aliens."),
    ("programme unknown lead", _set(["programme", "lead_actor"], ["72.10", "Dinas Rahasia"]),
     "section programme, field lead_actor: No actor named Dinas Rahasia in 72.10"),
    ("participant role", _set(["programme", "participants", 0, "role"], "boss"),
     "section participants, row 1, field role: Value 'boss' is not a valid choice."),
    ("participant stage", _set(["programme", "participants", 0, "stages"], ["partying"]),
     "section participants, row 1, field stages: Not in the list of choices: partying."),
    ("level 9", _set(["pairs", 0, "level"], 9),
     f"{PAIR}, field level: The level must be a whole number from 0 to 4."),
    ("level as text", _set(["pairs", 0, "level"], "3"),
     f"{PAIR}, field level: The level must be a whole number from 0 to 4."),
    ("level true", _set(["pairs", 1, "level"], True),
     "section pairs, row 2, field level: The level must be a whole number from 0 to 4."),
    ("level null without evidence", _set(["pairs", 1, "level"], None),
     "section pairs, row 2, field level: Choose a level, or answer the evidence questions"),
    ("unknown mechanism", _set(["pairs", 0, "mechanisms"], ["telepathy"]),
     f"{PAIR}, field mechanisms: Not in the list of choices: telepathy."),
    ("mechanism not text", _set(["pairs", 0, "mechanisms"], [{"x": 1}]),
     f"{PAIR}, field mechanisms: Not in the list of choices: {{'x': 1}}."),
    ("unknown factor", _set(["pairs", 0, "hindering_factors"], ["aliens"]),
     f"{PAIR}, field hindering_factors: Not in the list of choices: aliens."),
    ("note too long", _set(["pairs", 0, "note"], "x" * 4001),
     f"{PAIR}, field note: The note is too long (at most 4000 characters)."),
    ("note not text", _set(["pairs", 0, "note"], 5), f"{PAIR}, field note: The note must be text."),
    ("evidence maybe", _set(["pairs", 0, "shares_information"], "yes"),
     f"{PAIR}, field evidence: Answer each of the four evidence questions"),
    ("level against the evidence", _set(["pairs", 0, "level"], 2),
     f"{PAIR}, field level: The answers support level 3 (Collaboration), but level 2"),
    ("skipped step not confirmed", _set(["pairs", 2, "evidence_inconsistency_confirmed"], False),
     "section pairs, row 3: These answers skip a step"),
    ("unknown actor", _set(["pairs", 0, "actor_b"], ["72.10", "Dinas Rahasia"]),
     f"{PAIR}, field actor_b: No actor named Dinas Rahasia in 72.10"),
    ("same actor twice", lambda data: data["pairs"][0].update(actor_b=data["pairs"][0]["actor_a"]),
     f"{PAIR}: An actor cannot be paired with itself."),
    ("actor of another region", _palu_pair,
     "section members, row 5, field actor: Dinas Kesehatan Kota Palu is not homed in "
     "Kabupaten Sigi, below it or at a level above it"),
    ("pair twice", lambda data: data["pairs"].append(
        {**data["pairs"][0], "actor_a": data["pairs"][0]["actor_b"],
         "actor_b": data["pairs"][0]["actor_a"]}),
     "section pairs, row 4: This pair is already in row 1."),
    ("scored at not a date", _set(["pairs", 0, "scored_at"], "kemarin"),
     f"{PAIR}, field scored_at: Expected a date and time with its time zone"),
    ("scored at without zone", _set(["pairs", 0, "scored_at"], "2026-11-20T10:00:00"),
     f"{PAIR}, field scored_at: Expected a date and time with its time zone"),
    ("history level 9", _set(["pairs", 0, "history", 0, "level"], 9),
     f"{PAIR}, history record 1, field level: The level must be a whole number from 0 to 4."),
    ("history mechanism", _set(["pairs", 0, "history", 0, "mechanisms"], ["telepathy"]),
     f"{PAIR}, history record 1, field mechanisms: Not in the list of choices: telepathy."),
    ("history date", _set(["pairs", 0, "history", 0, "history_date"], "2026-13-01"),
     f"{PAIR}, history record 1, field history_date: Expected a date and time"),
    ("history out of order", _history_out_of_order,
     f"{PAIR}, history record 2, field history_date: This record is dated before the record"),
    ("history reason too long", _set(["pairs", 0, "history", 0, "history_change_reason"],
                                      "x" * 101),
     f"{PAIR}, history record 1, field history_change_reason: Ensure this value has at most"),
    ("history not ending at the pair", _set(["pairs", 0, "history", 0, "note"], "lain"),
     f"{PAIR}, field history: The last record of the history does not hold the pair's"),
    ("version not the history's", _set(["pairs", 0, "version"], 9),
     f"{PAIR}, field history: The last record of the history does not hold the pair's"),
    ("version too large", _set(["pairs", 0, "version"], 2**70),
     f"{PAIR}, field version: Ensure this value is less than or equal to"),
    ("version 0", _set(["pairs", 0, "version"], 0),
     f"{PAIR}, field version: Expected a number of at least 1."),
    ("missing level", _delete("pairs", 0, "level"), f"{PAIR}, field level: This key is missing."),
    ("missing history", _delete("pairs", 0, "history"),
     f"{PAIR}, field history: This key is missing."),
    ("extra key", _set(["pairs", 0, "is_admin"], True),
     f"{PAIR}, field is_admin: This key is not part of a round export."),
    ("actor key of one item", _set(["pairs", 0, "actor_a"], ["72.10"]),
     f"{PAIR}, field actor_a: Expected a list of 2 items."),
    ("regions not a list", _set(["regions"], "all"), "section regions: Expected a list."),
    ("programme not an object", _set(["programme"], [1]),
     "section programme: Expected an object or null."),
    ("no round", _delete("round"), "section round: This part is missing."),
    ("unknown top key", _set(["comment"], "hi"),
     "section file, field comment: This key is not part of a round export."),
    ("scorer not text", _set(["pairs", 0, "scored_by"], 7),
     f"{PAIR}, field scored_by: Expected text or null."),
    ("round name taken", lambda data: RoundFactory(
        region=Region.objects.get(code="72.10"), name=data["round"]["name"]),
     "section round, field name: A round named Pemetaan Sigi 2026 already exists"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "line"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_a_tampered_file_is_refused_with_its_row_and_field_and_nothing_is_written(
    exported, district, tmp_path, change, line
):
    data = copy.deepcopy(exported)
    change(data)
    before = snapshot()
    error, printed = run(tmp_path, data)
    assert line in printed, printed
    assert error.startswith("Nothing restored: ")
    assert snapshot() == before


def test_every_problem_of_a_file_is_listed_at_once(exported, tmp_path):
    data = copy.deepcopy(exported)
    data["actors"][1]["kind"] = "alien"
    data["pairs"][2]["level"] = 9
    data["pairs"][1]["mechanisms"] = ["telepathy"]
    before = snapshot()
    error, printed = run(tmp_path, data)
    assert printed.splitlines() == [
        "section actors, row 2, field kind: Value 'alien' is not a valid choice.",
        "section pairs, row 2, field mechanisms: Not in the list of choices: telepathy.",
        "section pairs, row 3, field level: The level must be a whole number from 0 to 4.",
    ]
    assert "3 problems" in error
    assert snapshot() == before


def test_the_refusal_speaks_the_installation_s_language(exported, tmp_path):
    data = copy.deepcopy(exported)
    data["pairs"][0]["level"] = 9
    error, printed = run(tmp_path, data, language="id")
    assert printed.strip() == (
        "bagian pairs, baris 1, isian level: Tingkat harus bilangan bulat dari 0 sampai 4."
    )
    assert error.startswith("Tidak ada yang dipulihkan")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("not json", "is not a JSON file", id="not JSON"),
        pytest.param(b"\xff\xfe\x00garbage", "is not a JSON file", id="binary"),
        pytest.param("", "is not a JSON file", id="empty"),
        pytest.param("[" * 100_000 + "]" * 100_000, "nested too deeply", id="deeply nested"),
        pytest.param([1, 2], "This file is not a round export.", id="a JSON list"),
        pytest.param({"format": "other"}, "This file is not a round export.", id="other format"),
        pytest.param(
            {"format": "peta-konvergensi/round", "version": 99},
            "This export has format version 99; this application reads versions 1, 2, 3.",
            id="version 99",
        ),
        pytest.param(
            {"format": "peta-konvergensi/round", "version": True},
            "format version True",
            id="version true",
        ),
        pytest.param(
            {"format": "peta-konvergensi/round", "version": 2},
            "section regions: This part is missing.",
            id="nothing but the format",
        ),
    ],
)
def test_a_file_that_is_not_a_round_export_is_refused_cleanly(db, tmp_path, content, message):
    before = snapshot()
    error, printed = run(tmp_path, content)
    assert message in error + printed
    assert "Traceback" not in error + printed
    assert snapshot() == before


def test_a_missing_file_is_refused(db, tmp_path):
    with translation.override("en"), pytest.raises(CommandError, match="Cannot read"):
        call_command("restore_round", str(tmp_path / "nowhere.json"), "--user", RESTORER)


def test_a_restore_keeps_to_the_restorer_s_jurisdiction(
    exported, tmp_path, scorer, admin_user, far_admin
):
    """A door like the others: the restorer administers the round's region and adds only
    what they could add by hand."""
    before = snapshot()
    _error, printed = run(tmp_path, exported, user=scorer.username)
    assert "penilai_sigi may not manage the rounds of Kabupaten Sigi" in printed
    _error, printed = run(tmp_path, exported, user=far_admin.username)
    assert "admin_selayar may not manage the rounds of Kabupaten Sigi" in printed

    exported["sectors"].append({**exported["sectors"][0], "code": "baru"})
    exported["actors"][0]["sector"] = "baru"
    _error, printed = run(tmp_path, exported, user=admin_user.username)
    assert "The sector baru is not known here; only a national admin adds sectors" in printed
    assert snapshot() == before


@pytest.fixture
def far_admin(db):
    from accounts.models import Role
    from actors.models import GovernmentLevel
    from tests.factories import RegionFactory, make_user

    selayar = RegionFactory(code="73", name="Sulawesi Selatan", level=GovernmentLevel.PROVINCE)
    return make_user("admin_selayar", role=Role.ADMIN, regions=[selayar], is_staff=True)
