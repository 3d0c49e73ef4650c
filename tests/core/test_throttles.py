"""Request limits (core/throttles.py): the API per user and per anonymous address, PDF
and map renders per person (pages and API together), and the public survey link per
address. Each test sets a low rate itself; the suite's own rates are out of reach."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def counts_cleared():
    cache.clear()
    yield
    cache.clear()


def retry_after(response) -> int:
    return int(response["Retry-After"])


# --- the API, per user -------------------------------------------------------------------------


def test_the_api_answers_429_past_the_users_rate(api_for, owner, account, settings):
    settings.STRATA_API_RATE_USER = "3/hour"
    api = api_for(owner)
    statuses = [api.get("/api/v1/accounts/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/accounts/")
    assert response.status_code == 429
    assert response.json()["detail"] == (
        "Too many API requests: the limit is 3 an hour per user. Try again in 60 minutes."
    )
    assert 3500 < retry_after(response) <= 3600


def test_one_users_requests_do_not_count_against_another(api_for, owner, teammate, settings):
    settings.STRATA_API_RATE_USER = "2/minute"
    for _ in range(2):
        api_for(owner).get("/api/v1/accounts/")
    assert api_for(owner).get("/api/v1/accounts/").status_code == 429
    assert api_for(teammate).get("/api/v1/accounts/").status_code == 200


def test_a_rate_of_none_switches_the_limit_off(api_for, owner, settings):
    settings.STRATA_API_RATE_USER = None
    api = api_for(owner)
    assert {api.get("/api/v1/accounts/").status_code for _ in range(5)} == {200}


# --- the API, per anonymous address ----------------------------------------------------------


class OpenView(APIView):
    """Like the sign-in endpoint: open to anyone, so only the address identifies the caller."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"ok": True})


def anonymous_get(address: str, **extra):
    request = APIRequestFactory().get("/open/", REMOTE_ADDR=address, **extra)
    return OpenView.as_view()(request)


def test_anonymous_requests_are_limited_per_address(settings):
    settings.STRATA_API_RATE_ANON = "2/minute"
    statuses = [anonymous_get("198.51.100.1").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = anonymous_get("198.51.100.1")
    assert response.data["detail"] == (
        "Too many API requests from your address: the limit is 2 a minute. Try again in 1 minute."
    )
    assert 0 < retry_after(response) <= 60
    assert anonymous_get("198.51.100.2").status_code == 200


def test_a_forged_forwarded_for_does_not_make_a_new_address(settings):
    settings.STRATA_API_RATE_ANON = "2/minute"
    for n in range(2):
        anonymous_get("198.51.100.1", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")
    assert anonymous_get("198.51.100.1", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_behind_a_proxy_each_client_has_its_own_count(settings):
    settings.STRATA_API_RATE_ANON = "2/minute"
    settings.STRATA_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(2):
        anonymous_get(proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert anonymous_get(proxy, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert anonymous_get(proxy, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200


# --- PDF and map renders, per person, pages and API together ---------------------------------

RENDER_PAGES = [
    ("accounts:one_pager", "get"),
    ("accounts:relationship_map_svg", "get"),
    ("accounts:relationship_map_pdf", "get"),
    ("insights:account_pack", "get"),
]
RENDER_MESSAGE = (
    "Too many PDF and map downloads: the limit is 1 an hour per person. Try again in 60 minutes."
)


@pytest.fixture
def unseen_account_id(outsider):
    from accounts_app.models import Account

    return Account.objects.get(name="Outsider's Own Account").pk


@pytest.mark.parametrize(("name", "method"), RENDER_PAGES)
def test_each_render_page_answers_a_readable_429_past_the_render_rate(
    client_for, owner, unseen_account_id, settings, name, method
):
    settings.STRATA_RENDER_RATE = "1/hour"
    client = client_for(owner)
    url = reverse(name, args=[unseen_account_id])
    assert getattr(client, method)(url).status_code == 404
    response = getattr(client, method)(url)
    assert response.status_code == 429
    assert "429.html" in [t.name for t in response.templates]
    assert RENDER_MESSAGE in response.text
    assert response["Content-Type"].startswith("text/html")
    assert 3500 < retry_after(response) <= 3600


def test_the_api_pack_answers_429_with_a_message(api_for, owner, unseen_account_id, settings):
    settings.STRATA_RENDER_RATE = "1/hour"
    api = api_for(owner)
    url = reverse("api-pack", args=[unseen_account_id])
    assert api.get(url).status_code == 404
    response = api.get(url)
    assert response.status_code == 429
    assert response.json() == {"detail": RENDER_MESSAGE}
    assert 3500 < retry_after(response) <= 3600


def test_starting_a_portfolio_pack_counts_as_a_render(client_for, owner, settings):
    settings.STRATA_RENDER_RATE = "1/hour"
    client = client_for(owner)  # not an executive: 404, but the attempt counts
    assert client.post(reverse("packs:portfolio_start")).status_code == 404
    response = client.post(reverse("packs:portfolio_start"))
    assert response.status_code == 429
    assert RENDER_MESSAGE in response.text


def test_pages_and_api_share_one_render_count(client_for, api_for, owner, account, settings):
    settings.STRATA_RENDER_RATE = "1/hour"
    response = client_for(owner).get(reverse("accounts:one_pager", args=[account.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert api_for(owner).get(reverse("api-pack", args=[account.pk])).status_code == 429


def test_one_persons_renders_do_not_limit_another(
    client_for, owner, teammate, unseen_account_id, account, settings
):
    settings.STRATA_RENDER_RATE = "1/hour"
    url = reverse("accounts:relationship_map_svg", args=[unseen_account_id])
    client_for(owner).get(url)
    assert client_for(owner).get(url).status_code == 429
    assert client_for(teammate).get(url).status_code == 404


def test_renders_are_limited_below_the_api_rate(api_for, owner, account, settings):
    """The ordinary API goes on while the renders are used up."""
    settings.STRATA_RENDER_RATE = "1/hour"
    api = api_for(owner)
    api.get(reverse("api-pack", args=[account.pk]) + "?variant=nonsense")
    assert api.get(reverse("api-pack", args=[account.pk])).status_code == 429
    assert api.get("/api/v1/accounts/").status_code == 200


# --- the public survey link, per address ------------------------------------------------------


def test_the_survey_link_answers_429_past_the_rate_for_its_address(client, settings):
    settings.STRATA_SURVEY_RATE = "2/hour"
    url = "/s/made-up-token/"
    assert [client.get(url).status_code for _ in range(2)] == [404, 404]
    response = client.post(url, {"comment": "again"})
    assert response.status_code == 429
    assert "scorecards/survey_public.html" in [t.name for t in response.templates]
    assert (
        "Too many requests from your address: the limit is 2 an hour. Try again in 60 minutes."
        in response.text
    )
    assert 3500 < retry_after(response) <= 3600
    assert client.get(url, REMOTE_ADDR="198.51.100.9").status_code == 404
