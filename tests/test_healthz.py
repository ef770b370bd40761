def test_healthz_answers_anonymous_visitors_without_a_session(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "sessionid" not in response.cookies
