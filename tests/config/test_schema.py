import yaml
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


def test_an_api_url_that_matches_no_route_answers_json_404(client, admin_user):
    # Found by schemathesis: an id that is not a number matched no route and answered
    # the HTML page, which the schema does not describe.
    client.force_login(admin_user)
    for path in ("/api/v1/plans/abc/", "/api/v1/accounts/null,null/health/", "/api/nothing"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
    response = client.get("/accounts/abc/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_the_schema_describes_every_refusal_with_its_body(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    error = {"$ref": "#/components/schemas/Error"}

    def body(operation, code):
        return operation["responses"][code]["content"]["application/json"]["schema"]

    detail = schema["paths"]["/api/v1/plans/{id}/"]["put"]
    assert body(detail, "400")["type"] == "object"
    for code in ("401", "403", "404", "428", "429"):
        assert body(detail, code) == error, code
    assert body(detail, "409") == {"$ref": "#/components/schemas/PlanDetailConflict"}
    # The operation's own description stays.
    assert detail["responses"]["403"]["description"] == "You may see this but not change it."
    listing = schema["paths"]["/api/v1/accounts/"]["get"]
    assert {"400", "401", "403", "404", "429"} <= set(listing["responses"])
    sign_in = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert set(sign_in["responses"]) == {"200", "400", "429"}
