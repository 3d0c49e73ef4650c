import pytest


@pytest.fixture(autouse=True)
def default_segmentation_model(seeded_tiers):
    """The seeded criteria and tiers before every database test here."""
