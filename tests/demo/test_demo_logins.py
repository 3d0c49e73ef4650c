"""The demo as a new user meets it: alice's token, her accounts, and bob kept out."""

import pytest
from rest_framework.test import APIClient

from accounts_app.models import Account

pytestmark = pytest.mark.django_db


def _token(username: str) -> str:
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": "strata-demo"}
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _api(username: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {_token(username)}")
    return client


def test_alice_lists_exactly_her_accounts_with_her_demo_token(demo):
    alice = _api("alice")
    listed, url = [], "/api/v1/accounts/"
    while url:
        page = alice.get(url).json()
        listed += [row["id"] for row in page["results"]]
        url = page["next"]
    hers = Account.objects.filter(team_members__user__username="alice").values_list("pk", flat=True)
    assert sorted(listed) == sorted(hers)
    assert 5 <= len(listed) < Account.objects.count()


def test_bob_gets_404_on_alices_account_in_the_api_and_the_pages(demo, client):
    alices = Account.objects.filter(team_members__user__username="alice").first()
    assert _api("bob").get(f"/api/v1/accounts/{alices.pk}/").status_code == 404
    assert client.post("/login/", {"username": "bob", "password": "strata-demo"}).status_code == 302
    assert client.get(f"/accounts/{alices.pk}/").status_code == 404
    assert client.get(f"/accounts/{alices.pk}/one-pager.pdf").status_code == 404


def test_every_demo_login_signs_in(demo, client):
    for username in ("admin", "exec", "manager", "alice", "bob"):
        response = client.post("/login/", {"username": username, "password": "strata-demo"})
        assert response.status_code == 302, username
        assert client.get("/accounts/").status_code == 200
        client.post("/logout/")
