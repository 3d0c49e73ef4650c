import pytest


@pytest.fixture(autouse=True)
def default_stages_and_criteria(seeded_stages_and_criteria):
    """The seeded stages and criteria before every database test here."""
