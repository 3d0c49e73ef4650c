"""Browser tests: Debian's Chromium driven by pytest-playwright against `live_server`.

The live server runs in another thread with its own database connection, so every
test here uses a transactional database: data a test creates is committed, and the
server sees it.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts_app.models import TeamMember, User
from demo.factories import PASSWORD, AccountFactory, ContactFactory, UserFactory

CHROMIUM = Path(os.environ.get("STRATA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 800}

# Playwright's own waits are generous; a page of this app answers in milliseconds.
expect.set_options(timeout=10_000)


def _through_the_app(application):
    """Let static requests reach the app, where WhiteNoise serves the collected files."""
    return application


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, but with static files served as in production.

    Its default static handler looks files up through the finders, by their source
    names; the manifest storage writes hashed names into the pages, so every stylesheet
    and script would answer 404. Here WhiteNoise serves them from STATIC_ROOT instead.
    """
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        pytest.fail(
            f"{manifest} is missing: run `python manage.py collectstatic --noinput` "
            "before the browser tests",
            pytrace=False,
        )
    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    server.thread.static_handler = _through_the_app
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch the system Chromium: `playwright install` cannot download a browser here."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: install it "
            "(apt-get install chromium) or point STRATA_CHROMIUM at it"
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": VIEWPORT, "locale": "en-US"}


@pytest.fixture
def alice(transactional_db):
    return UserFactory(username="alice", first_name="Alice", last_name="Archer")


@pytest.fixture
def bob(transactional_db):
    return UserFactory(username="bob", first_name="Bob", last_name="Baker")


@pytest.fixture
def alice_account(alice):
    account = AccountFactory(name="Acme Industrial", owner=alice)
    ContactFactory(account=account, name="Carla Buyer", title="Head of Procurement")
    return account


@pytest.fixture
def bob_account(bob):
    return AccountFactory(name="Borealis Energy", owner=bob)


@pytest.fixture
def alice_teammate(transactional_db, alice_account):
    user = UserFactory(username="tom", first_name="Tom", last_name="Mate", title="Sales lead")
    TeamMember.objects.create(account=alice_account, user=user, role=TeamMember.Role.SALES)
    return user


@pytest.fixture
def sign_in(page: Page, live_server):
    """sign_in(user) signs in through the real login form, lands on the home page, and
    opens the accounts list, where most tests start."""

    def sign_in_as(user: User) -> Page:
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))  # the home page: today's work
        expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
        page.goto(f"{live_server.url}/accounts/")  # where most tests start
        return page

    return sign_in_as


@pytest.fixture
def sign_in_elsewhere(browser, browser_context_args, live_server):
    """sign_in_elsewhere(user) signs `user` in through the login form in a browser
    context of their own (a second person at a second computer) and returns the page."""
    contexts = []

    def open_as(user: User) -> Page:
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))  # the home page: today's work
        return page

    yield open_as
    for context in contexts:
        context.close()
