import pytest


@pytest.fixture(autouse=True)
def default_metrics(request):
    """The seeded metric library, survey and alert rules: transactional tests elsewhere
    flush them."""
    if "django_db" not in {mark.name for mark in request.node.iter_markers()}:
        return
    request.getfixturevalue("db")
    from scorecards.alerts.services import alert_defaults_ensure
    from scorecards.services import ensure_defaults

    ensure_defaults()
    alert_defaults_ensure()
