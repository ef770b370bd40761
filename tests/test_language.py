def test_pages_are_in_bahasa_indonesia_whatever_the_browser_asks(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "<h1>Masuk</h1>" in response.content.decode()
    assert response["Content-Language"] == "id"


def test_the_language_switch_turns_pages_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert "<h1>Log in</h1>" in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "id", "next": "/accounts/login/"})
    assert "<h1>Masuk</h1>" in client.get("/accounts/login/").content.decode()


def test_an_unknown_language_cookie_falls_back_to_indonesian(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert "<h1>Masuk</h1>" in client.get("/accounts/login/").content.decode()


def test_the_api_answers_in_the_user_s_language(scorer, other_district, open_round, settings):
    """Not found, refused and invalid: in Bahasa Indonesia unless the user chose English."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(scorer)
    missing = client.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert missing.json() == {"detail": "Data tidak ditemukan."}
    outside = client.get(f"/api/v1/regions/{other_district.code}/dashboard/")
    assert outside.status_code == 403
    assert outside.json()["detail"] == "Wilayah ini berada di luar wilayah kerja Anda."
    invalid = client.post("/api/v1/pair-assessments/", {"round": open_round.pk}, format="json")
    assert invalid.status_code == 400
    assert "Bidang ini harus diisi." in str(invalid.json())

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get("/api/v1/no-such-thing/").json() == {"detail": "Not found."}
    english = client.get(f"/api/v1/regions/{other_district.code}/dashboard/").json()
    assert english["detail"] == "This region is outside your jurisdiction."
