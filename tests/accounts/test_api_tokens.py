"""API tokens (django-rest-knox): stored hashed, expiring, revoked with the password."""

from datetime import timedelta

import time_machine
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

LOGIN = {"username": "penilai_sigi", "password": "pw-penilai_sigi"}


def issue(**credentials) -> str:
    response = APIClient().post("/api/v1/token/", credentials or LOGIN)
    assert response.status_code == 200, response.content
    return response.json()["token"]


def status_with(token: str) -> int:
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/rounds/").status_code


def test_a_token_is_stored_hashed_and_works(scorer):
    token = issue()
    stored = AuthToken.objects.get(user=scorer)
    assert token not in (stored.digest, stored.token_key)
    assert status_with(token) == 200


def test_a_token_expires(scorer, settings):
    token = issue()
    expiry = AuthToken.objects.get(user=scorer).expiry
    assert expiry - timezone.now() > timedelta(days=29)
    with time_machine.travel(expiry + timedelta(minutes=1)):
        assert status_with(token) == 401
    assert not AuthToken.objects.filter(user=scorer).exists()


def test_a_password_change_revokes_every_token(scorer):
    tokens = [issue(), issue()]
    scorer.set_password("Kata-Sandi-Baru-2026")
    scorer.save()
    assert [status_with(token) for token in tokens] == [401, 401]


def test_deactivating_a_user_revokes_their_tokens(scorer):
    token = issue()
    scorer.is_active = False
    scorer.save()
    assert status_with(token) == 401
    assert not AuthToken.objects.filter(user=scorer).exists()


def test_a_login_stamp_keeps_the_tokens(scorer):
    token = issue()
    scorer.last_login = timezone.now()
    scorer.save(update_fields=["last_login"])
    assert status_with(token) == 200


def test_a_client_revokes_its_own_token(scorer):
    token, other = issue(), issue()
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.post("/api/v1/token/revoke/").status_code == 204
    assert (status_with(token), status_with(other)) == (401, 200)


def test_a_user_holds_a_limited_number_of_tokens(scorer, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_LIMIT_PER_USER": 2}
    issue(), issue()
    response = APIClient().post("/api/v1/token/", LOGIN)
    assert response.status_code == 403
    assert "revoke" in response.json()["detail"]
    assert AuthToken.objects.filter(user=scorer).count() == 2


def test_a_wrong_password_gets_no_token_and_counts_as_a_failed_login(scorer):
    from axes.models import AccessAttempt

    response = APIClient().post("/api/v1/token/", {**LOGIN, "password": "salah"})
    assert response.status_code == 400
    assert not AuthToken.objects.exists()
    assert AccessAttempt.objects.filter(username="penilai_sigi").exists()
