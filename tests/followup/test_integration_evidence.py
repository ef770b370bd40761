"""The evidence policy: a national admin may ask for a document on a pair before it is
saved at level 4 (integration). Every path that writes a level obeys it: the scoring
service (the scorer's form), the API and the pair import; province admins may not
switch it."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.models import Role
from actors.models import GovernmentLevel
from assessments.models import EVIDENCE_FIELDS, PairAssessment
from assessments.services import pair_assessment_save
from followup.models import EvidencePolicy
from followup.services import document_delete, document_upload
from imports.pairs import import_pairs
from imports.tabular import ImportRefused
from tests.api.conftest import api_client, snapshot
from tests.factories import RegionFactory, make_user, score
from tests.followup.test_documents import pdf_bytes
from tests.imports.conftest import csv_bytes, messages
from tests.security.conftest import page_client

pytestmark = pytest.mark.django_db

MESSAGE = "Level 4 (integration) needs evidence"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def required(db):
    return EvidencePolicy.objects.create(pk=1, integration_needs_document=True)


def attach(user, round_, x, y, **subject):
    return document_upload(
        user=user,
        file=SimpleUploadedFile("sk-tpps.pdf", pdf_bytes()),
        title="SK TPPS",
        round=round_,
        actor_a=x,
        actor_b=y,
        **subject,
    )


def save(user, round_, x, y, level):
    return pair_assessment_save(round=round_, actor_a=x, actor_b=y, level=level, user=user)


def test_level_4_needs_no_document_while_the_policy_is_off(scorer, open_round, actors):
    assert not EvidencePolicy.current().integration_needs_document
    assert save(scorer, open_round, actors[0], actors[2], 4).level == 4


def test_the_service_refuses_level_4_without_a_document_and_writes_nothing(
    scorer, admin_user, open_round, actors, required
):
    dinkes, pkm, bappeda, _disdik = actors
    score(open_round, dinkes, bappeda, 3)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        save(scorer, open_round, bappeda, dinkes, 4)
    assert list(refused.value.message_dict) == ["level"]
    assert snapshot() == before
    # Other levels, and other pairs' documents, change nothing of the rule.
    assert save(scorer, open_round, dinkes, bappeda, 3).level == 3
    attach(admin_user, open_round, dinkes, pkm)
    with pytest.raises(ValidationError):
        save(scorer, open_round, dinkes, bappeda, 4)
    # The pair's own document (of any aksi, or none) lets it through.
    attach(scorer, open_round, bappeda, dinkes, aksi=2)
    assert save(scorer, open_round, dinkes, bappeda, 4).level == 4


def test_a_deleted_document_no_longer_counts(scorer, admin_user, open_round, actors, required):
    dinkes, _pkm, bappeda, _disdik = actors
    document = attach(admin_user, open_round, dinkes, bappeda)
    document_delete(document=document, user=admin_user)
    with pytest.raises(ValidationError):
        save(scorer, open_round, dinkes, bappeda, 4)


def test_the_scorers_form_shows_the_refusal_under_the_level(scorer, open_round, actors, required):
    dinkes, _pkm, bappeda, _disdik = actors
    url = f"/rounds/{open_round.pk}/pairs/{dinkes.pk}-{bappeda.pk}/"
    response = page_client(scorer).post(url, {"level": "4"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    html = response.content.decode()
    assert MESSAGE in html
    # The panel says why before the scorer tries, and offers the upload.
    assert "can be saved only with at least one document" in html
    assert not PairAssessment.objects.exists()
    # Evidence derived from the four answers is held to the same rule.
    answers = {name: "yes" for name in EVIDENCE_FIELDS}
    response = page_client(scorer).post(url, {"level": "", **answers})
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert not PairAssessment.objects.exists()


def test_the_api_refuses_level_4_without_a_document(
    scorer, admin_user, open_round, actors, required
):
    dinkes, _pkm, bappeda, _disdik = actors
    body = {"round": open_round.pk, "actor_a": dinkes.pk, "actor_b": bappeda.pk, "level": 4}
    client = api_client(scorer)
    response = client.post("/api/v1/pair-assessments/", body, format="json")
    assert response.status_code == 400
    assert MESSAGE in response.json()["level"][0]
    assert not PairAssessment.objects.exists()
    attach(admin_user, open_round, dinkes, bappeda)
    assert client.post("/api/v1/pair-assessments/", body, format="json").status_code == 201


def test_the_import_refuses_each_level_4_row_without_a_document(
    admin_user, open_round, actors, required
):
    dinkes, pkm, bappeda, disdik = actors
    attach(admin_user, open_round, dinkes, pkm)
    score(open_round, dinkes, disdik, 4)  # already 4: the row changes nothing
    before = snapshot()
    data = csv_bytes(
        ("actor_a", "actor_b", "level"),
        ("Dinkes", "Bappeda", "4"),  # 2: no document
        ("Dinkes", "PKM Biromaru", "4"),  # 3: documented
        ("Bappeda", "Disdik", "Integrasi"),  # 4: no document
        ("Dinkes", "Disdik", "4"),  # 5: unchanged
        ("PKM Biromaru", "Bappeda", "3"),  # 6
    )
    with pytest.raises(ImportRefused) as refused, translation.override("en"):
        import_pairs(data=data, round=open_round, user=admin_user, shape="edges")
    found = {row: message for row, _column, message in messages(refused.value)}
    assert sorted(found) == [2, 4]
    assert all(MESSAGE in message for message in found.values())
    assert snapshot() == before
    # Without those rows the file goes in.
    data = csv_bytes(("actor_a", "actor_b", "level"), ("Dinkes", "PKM Biromaru", "4"))
    result = import_pairs(data=data, round=open_round, user=admin_user, shape="edges")
    assert result.as_dict() == {"created": 1, "updated": 0, "unchanged": 0}


# Who switches it -------------------------------------------------------------------------

ADD = "/admin/followup/evidencepolicy/add/"
CHANGE = "/admin/followup/evidencepolicy/1/change/"


@pytest.fixture
def national(db):
    nation = RegionFactory(code="ID", name="Indonesia", level=GovernmentLevel.NATIONAL)
    return make_user("admin_pusat", role=Role.ADMIN, regions=[nation], is_staff=True)


def test_a_national_admin_switches_the_policy_on_in_the_admin(national, admin_user):
    client = page_client(national)
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, {"integration_needs_document": "on"})
    assert response.status_code == 302
    policy = EvidencePolicy.objects.get()
    assert (policy.pk, policy.integration_needs_document, policy.updated_by) == (1, True, national)
    # One policy for the site: no second one, and it is switched off, never deleted.
    assert client.get(ADD).status_code == 403
    assert client.post(CHANGE, {}).status_code == 302
    assert not EvidencePolicy.current().integration_needs_document
    assert client.get("/admin/followup/evidencepolicy/1/delete/").status_code == 403


def test_a_province_admin_reads_the_policy_and_may_not_switch_it(national, admin_user):
    EvidencePolicy.objects.create(pk=1)
    client = page_client(admin_user)
    assert client.get(CHANGE).status_code == 200  # read only
    assert client.post(CHANGE, {"integration_needs_document": "on"}).status_code == 403
    assert client.post(ADD, {"integration_needs_document": "on"}).status_code == 403
    assert not EvidencePolicy.current().integration_needs_document
    assert EvidencePolicy.objects.count() == 1


def test_the_rule_reads_only_the_wanted_pairs_actors(
    admin_user, open_round, actors, required, django_assert_num_queries
):
    """Documents on a crossing pair (the first actor of one wanted pair, the second of
    another) count for neither; the rule reads the policy and the wanted actors' pairs."""
    from followup.rules import integration_needs_document

    dinkes, pkm, bappeda, disdik = sorted(actors, key=lambda actor: actor.pk)
    attach(admin_user, open_round, dinkes, disdik)  # crossing (dinkes, pkm) and (bappeda, disdik)
    attach(admin_user, open_round, bappeda, disdik)
    wanted = {(dinkes.pk, pkm.pk): 4, (bappeda.pk, disdik.pk): 4, (dinkes.pk, bappeda.pk): 3}
    with django_assert_num_queries(2):
        refused = integration_needs_document(open_round, wanted)
    assert list(refused) == [(dinkes.pk, pkm.pk)]
