"""`?search=` on the API's lists (core.api.SearchFilter)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/contacts/", "/api/v1/team-members/"])
def test_a_refused_search_term_is_a_400_keyed_by_its_parameter(api_for, owner, contact, url):
    # Found by schemathesis: DRF answered a bare list, where every other 400 is an object.
    response = api_for(owner).get(url, {"search": "a\x00b"})
    assert response.status_code == 400
    assert response.json() == {"search": ["Null characters are not allowed."]}


def test_search_still_finds_by_name(api_for, owner, contact):
    response = api_for(owner).get("/api/v1/contacts/", {"search": contact.name})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [contact.pk]
