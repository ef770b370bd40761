import pytest
from axes.models import AccessAttempt, AccessLog


def attempt(client, password):
    return client.post("/accounts/login/", {"username": "penilai_sigi", "password": password})


def test_five_failed_logins_lock_the_account_out(client, scorer, caplog):
    for _ in range(4):
        response = attempt(client, "salah")
        assert response.status_code == 200  # the login form with its error
    response = attempt(client, "salah")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    # Locked: even the right password is refused now.
    assert attempt(client, "pw-penilai_sigi").status_code == 429
    assert AccessAttempt.objects.get(username="penilai_sigi").failures_since_start >= 5
    assert any("lock" in record.getMessage().lower() for record in caplog.records)


def test_a_successful_login_is_logged_and_resets_the_count(client, scorer):
    for _ in range(3):
        attempt(client, "salah")
    response = attempt(client, "pw-penilai_sigi")
    assert response.status_code == 302
    assert AccessLog.objects.filter(username="penilai_sigi").exists()
    assert not AccessAttempt.objects.filter(username="penilai_sigi").exists()


@pytest.mark.parametrize("url", ["/accounts/login/", "/regions/72.10/matrix/"])
def test_pages_carry_a_content_security_policy_without_inline_scripts(
    viewer_client, open_round, url
):
    policy = viewer_client.get(url)["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_many_user_names_from_one_address_lock_that_address(client, scorer, settings):
    """Guessing across accounts: each name fails once, but the address is locked after
    AXES_ADDRESS_FAILURE_LIMIT failures, whatever the name; another address is not."""
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    statuses = [
        client.post(
            "/accounts/login/", {"username": f"tebakan{n}", "password": "salah"}
        ).status_code
        for n in range(limit)
    ]
    # Like a user name's lockout: the failure that reaches the limit is answered 429.
    assert statuses == [200] * (limit - 1) + [429]
    assert attempt(client, "pw-penilai_sigi").status_code == 429
    elsewhere = client_class_from(client)(REMOTE_ADDR="10.1.2.3")
    assert attempt(elsewhere, "pw-penilai_sigi").status_code == 302


def client_class_from(client):
    def make(**defaults):
        return type(client)(**defaults)

    return make
