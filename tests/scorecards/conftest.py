import pytest


@pytest.fixture(autouse=True)
def default_metrics(request):
    """The seeded metric library: transactional tests elsewhere flush it."""
    if "django_db" not in {mark.name for mark in request.node.iter_markers()}:
        return
    request.getfixturevalue("db")
    from scorecards.services import ensure_defaults

    ensure_defaults()
