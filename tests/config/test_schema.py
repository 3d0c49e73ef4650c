from django.core.management import call_command


def test_openapi_schema_is_valid_and_warning_free(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in (
        "/api/v1/accounts/",
        "/api/v1/business-units/",
        "/api/v1/contacts/",
        "/api/v1/team-members/",
        "/api/v1/relationships/",
        "/api/v1/interactions/",
        "/api/v1/users/",
        "/api/v1/auth/token/",
    ):
        assert f"{path}:" in schema


def test_an_unexpected_api_error_answers_json(client, admin_user, monkeypatch):
    from insights import api

    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(api.AccountViewSet, "get_queryset", broken)
    client.force_login(admin_user)
    client.raise_request_exception = False
    response = client.get("/api/v1/accounts/")
    assert response.status_code == 500
    assert response.json() == {"detail": "Server error."}
