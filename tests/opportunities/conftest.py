import pytest


@pytest.fixture(autouse=True)
def default_stages_and_criteria(request):
    """The seeded stages and criteria: transactional tests elsewhere flush them."""
    if "django_db" not in {mark.name for mark in request.node.iter_markers()}:
        return
    request.getfixturevalue("db")
    from opportunities.services import ensure_defaults

    ensure_defaults()
