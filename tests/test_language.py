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
