"""The OpenAPI schema and its docs are for signed-in users: anonymous calls to the schema
answer 401, the docs page sends a browser to the sign-in page; a session or a token
opens both."""

import pytest
from rest_framework.test import APIClient

from accounts_app.services.tokens import api_token_create

pytestmark = pytest.mark.django_db


def test_the_schema_answers_401_to_anonymous_callers(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 401
    assert "paths" not in response.content.decode()


def test_the_docs_page_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/api/docs/"


def test_a_signed_in_user_reads_the_schema_and_the_docs(client, teammate):
    client.force_login(teammate)
    assert client.get("/api/docs/").status_code == 200
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200 and "/api/v1/accounts/" in schema.json()["paths"]


def test_a_token_reads_the_schema(teammate):
    api = APIClient()
    _, key = api_token_create(user=teammate, name="docs")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200 and "/api/v1/accounts/" in response.json()["paths"]
