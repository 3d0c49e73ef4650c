import pytest


@pytest.fixture(autouse=True)
def default_segmentation_model(request):
    """The seeded criteria and tiers. A data migration creates them, but a transactional
    test elsewhere in the run (a real worker, a browser) flushes every table."""
    if "django_db" not in {mark.name for mark in request.node.iter_markers()}:
        return
    request.getfixturevalue("db")
    from segmentation.services import ensure_default_model

    ensure_default_model()
