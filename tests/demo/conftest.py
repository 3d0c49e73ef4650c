"""The demo data set, seeded once for this package's tests."""

import pytest
from django.db import transaction

from tests.conftest import seeded_defaults_restore

from .helpers import run


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """What `seed_demo` printed, the demo written once for the package (a full seed takes
    most of a minute on PostgreSQL): the package's tests run inside its transaction, each
    in a savepoint of its own that the test's end rolls back, so every test finds the
    demo as seeded; the package's end rolls the demo back. Every database test of the
    package asks for it (a test that ran before it was set up would run without it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        seeded_defaults_restore()
        output = run("seed_demo")
        assert output.startswith("seed_demo: created"), output
        yield output
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _database_tests_run_on_the_demo(request):
    """Every database test here runs on the package's demo, asked for or not: one that
    ran before the demo was set up, inside none of its transaction, would see no demo."""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("demo")
