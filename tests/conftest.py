"""The fixed cast of every test: an account with its owner and teammate, their manager,
an executive, an admin, a read-only viewer and an outsider on another account."""

import os
import uuid

import pytest

# pytest-playwright runs an event loop in the test thread; Django's ORM calls made from
# live_server tests are safe here because each test has its own database connection.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from rest_framework.test import APIClient  # noqa: E402

from accounts_app.models import TeamMember, User  # noqa: E402
from config.celery import app as celery_app  # noqa: E402
from demo.factories import (  # noqa: E402
    AccountFactory,
    ContactFactory,
    PlanFactory,
    ScorecardFactory,
    TeamMemberFactory,
    UserFactory,
)
from imports import engine, services  # noqa: E402
from tests.workers import start_worker, stop_worker  # noqa: E402


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: a browser or database test must really run."""
    if os.environ.get("CI", "").lower() not in ("1", "true", "yes"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and session.exitstatus == 0:
        reporter.write_line(
            f"CI=true: {len(skipped)} test(s) were skipped; in CI every test must run.",
            red=True,
        )
        session.exitstatus = 1


@pytest.fixture
def manager(db):
    return UserFactory(
        username="mgr", role=User.Role.MANAGER, first_name="Maya", last_name="Manager"
    )


@pytest.fixture
def owner(db, manager):
    return UserFactory(username="owner", manager=manager, first_name="Olivia", last_name="Owner")


@pytest.fixture
def teammate(db, manager):
    return UserFactory(username="teammate", manager=manager, first_name="Tom", last_name="Mate")


@pytest.fixture
def executive(db):
    return UserFactory(
        username="exec", role=User.Role.EXECUTIVE, first_name="Eve", last_name="Exec"
    )


@pytest.fixture
def admin_user(db):
    return UserFactory(
        username="admin",
        role=User.Role.ADMIN,
        is_staff=True,
        is_superuser=True,
        first_name="Ada",
        last_name="Admin",
    )


@pytest.fixture
def outsider(db):
    """On another account's team, reporting to nobody we know: sees none of `account`."""
    user = UserFactory(username="outsider", first_name="Otto", last_name="Outsider")
    AccountFactory(name="Outsider's Own Account", owner=user)
    return user


@pytest.fixture
def account(db, owner, teammate):
    account = AccountFactory(name="Acme Industrial", owner=owner)
    TeamMemberFactory(account=account, user=teammate, role=TeamMember.Role.SALES)
    return account


@pytest.fixture
def contact(account):
    return ContactFactory(account=account, name="Carla Buyer")


@pytest.fixture
def contacts(account):
    """Two contacts of `account` with an e-mail address, as a survey needs them."""
    return [
        ContactFactory(account=account, name="Carla Buyer", email="carla@acme.example"),
        ContactFactory(account=account, name="Dev Ops", email="dev@acme.example"),
    ]


@pytest.fixture
def plan(account, owner):
    """The owner's FY2027 plan of `account`, just started."""
    return PlanFactory(account=account, by=owner, period=2027)


@pytest.fixture
def scorecard(account, owner):
    """`account`'s Q1 2026 scorecard: Revenue (weight 2, target 1,000,000) and Open
    escalations (weight 1, target 4, lower is better), no actuals yet."""
    return ScorecardFactory(
        account=account,
        by=owner,
        metrics=["Revenue", "Open escalations"],
        lines={
            "Revenue": {"weight": "2", "target": "1000000"},
            "Open escalations": {"target": "4"},
        },
    )


# --- The seeded defaults. A data migration writes them, but a transactional test (a real
# worker, a browser) flushes every table: the directories whose tests need them request
# these from an autouse fixture of their conftest. Nothing happens for a test that does
# not use the database.


def _uses_db(request) -> bool:
    return "django_db" in {mark.name for mark in request.node.iter_markers()}


@pytest.fixture
def seeded_tiers(request):
    """The default segmentation model (criteria, tiers with their rules); its tiers by
    rank: Tier I, II, III."""
    if not _uses_db(request):
        return []
    request.getfixturevalue("db")
    from segmentation.models import Tier
    from segmentation.services import ensure_default_model

    ensure_default_model()
    return list(Tier.objects.order_by("rank"))


@pytest.fixture
def seeded_stages_and_criteria(request):
    """The opportunities' stages and qualification criteria."""
    if not _uses_db(request):
        return
    request.getfixturevalue("db")
    from opportunities.services import ensure_defaults

    ensure_defaults()


@pytest.fixture
def seeded_metrics(request):
    """The metric library, the survey questionnaire and the alert rules."""
    if not _uses_db(request):
        return
    request.getfixturevalue("db")
    metric_defaults_restore()


def metric_defaults_restore() -> None:
    """The metric library (completed where a flush left part of it), the questionnaire,
    the health weights and the alert rules."""
    from scorecards.alerts.services import alert_defaults_ensure
    from scorecards.services import ensure_defaults

    ensure_defaults()
    _complete_metric_library()
    alert_defaults_ensure()


def _complete_metric_library() -> None:
    """A flush racing a worker or a live server's last request can leave part of the
    library behind (ensure_defaults then sees metrics and adds none): add what is missing."""
    from scorecards.defaults import METRICS
    from scorecards.models import Metric
    from scorecards.services import seeded_metric_create

    have = set(Metric.objects.values_list("name", flat=True))
    for position, row in enumerate(METRICS, start=1):
        if row[0] not in have:
            seeded_metric_create(position, row)


@pytest.fixture
def api_for():
    """api_for(user) returns a DRF API client authenticated as `user`."""

    def sign_in(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return sign_in


@pytest.fixture
def client_for(client):
    """client_for(user) returns the test client signed in as `user`."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def celery_join_flag_cleared():
    """Celery's eager mode marks "inside a task" in one process-wide flag, set and reset
    around each task: two eager tasks at once in the live server's threads (a browser
    test's requests, each queuing a recompute) can leave it set, and every later
    `result.get()` in the run then refuses ("Never call result.get() within a task!").
    Production runs tasks in workers, never eagerly; each test starts clear."""
    yield
    from celery.result import _set_task_join_will_block

    _set_task_join_will_block(False)


@pytest.fixture
def sending_to_workers():
    """The test process sends tasks to the broker instead of running them inline."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def real_worker(sending_to_workers):
    """A Celery worker in its own process, on a queue of its own, using the test database."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    process, log = start_worker(queue, "-P", "solo")
    yield queue
    print(stop_worker(process, log)[-3000:])


@pytest.fixture(autouse=True)
def default_lists(request):
    """Industries and regions as a fresh installation has them. Migrations seed them, but
    a transactional test (a live server's) flushes the database, for itself and for the
    tests after it: they are put back where missing (two counts when present)."""
    fixtures = set(request.fixturenames)
    transactional = bool({"live_server", "transactional_db"} & fixtures) or any(
        mark.kwargs.get("transaction") for mark in request.node.iter_markers("django_db")
    )
    if not (transactional or "db" in fixtures or _uses_db(request)):
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    default_lists_restore()


def default_lists_restore() -> None:
    """Put back the industries and regions a flush removed (two counts when present)."""
    from django.contrib.contenttypes.models import ContentType

    from accounts_app.models import DefaultIndustry, DefaultRegion, Industry, Region

    # A flush gives the content types new ids: no id cached before it may be used after.
    ContentType.objects.clear_cache()
    from demo.factories import industry_entry, region_entry

    if Industry.objects.count() < len(DefaultIndustry) or Region.objects.count() < len(
        DefaultRegion
    ):
        for code in DefaultIndustry.values:
            industry_entry(code)
        for code in DefaultRegion.values:
            region_entry(code)


def seeded_defaults_restore() -> None:
    """Everything the migrations seed, put back where a flush removed it: the lists, the
    segmentation model, the opportunities' stages and criteria, the metric library, the
    questionnaire and the alert rules."""
    from opportunities.services import ensure_defaults as opportunity_defaults
    from segmentation.services import ensure_default_model

    default_lists_restore()
    ensure_default_model()
    opportunity_defaults()
    metric_defaults_restore()


@pytest.fixture
def run_import():
    """(imports) Dry run (and with apply=True, apply) a file as `by`, in this process."""

    def run(by, kind, text, *, apply=False, preset="", mapping=None, name="file.csv"):
        content = text.encode() if isinstance(text, str) else text
        job = services.import_start(
            by=by,
            kind=kind,
            file_name=name,
            content=content,
            preset=preset,
            mapping=mapping,
            queue=False,
        )
        job = engine.run(job.pk)
        if apply:
            job.refresh_from_db()
            assert job.applicable, (job.message, job.errors)
            applied = services.import_apply(job=job, by=by, queue=False)
            return engine.run(applied.pk)
        return job

    return run


def local_redis_url() -> str | None:
    """The Redis of the tests: REDIS_URL, else the local server CI starts for both of its
    runs (the SQLite run unsets REDIS_URL but the server is there); None when none
    answers, and the test that needs it is skipped (a failure in CI)."""
    import redis

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/11"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        return None
    return url
