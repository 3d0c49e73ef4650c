import pytest


@pytest.fixture(autouse=True)
def default_metrics(seeded_metrics):
    """The seeded metric library, survey and alert rules before every database test here."""
