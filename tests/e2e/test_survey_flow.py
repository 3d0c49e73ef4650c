"""Voice of the customer in a real browser: alice sends a survey round; a customer opens
their link in a fresh browser (no login, a phone-sized screen), answers, and the link
then refuses a second answer; alice predicts the answers and the results page shows the
gap and the blind spot."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from accounts_app.models import Contact
from scorecards import services

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_customer_answers_once_and_the_results_show_the_gap(
    page: Page, browser, live_server, settings, sign_in, alice, alice_account
):
    settings.STRATA_BASE_URL = live_server.url  # where customers reach this Strata
    services.ensure_defaults()
    Contact.objects.filter(account=alice_account).update(email="carla@acme.example")
    sign_in(alice)
    page.goto(f"{live_server.url}/accounts/{alice_account.pk}/surveys/")
    page.get_by_role("link", name="New survey round").click()
    page.get_by_label("Title").fill("Autumn review")
    page.get_by_label("Carla Buyer").check()
    page.get_by_role("button", name="Send the survey").click()
    expect(page.get_by_text("Sent 1 survey link by e-mail.")).to_be_visible()
    round_url = page.url

    (email,) = mail.outbox
    link = re.search(r"https?://[^\s]+/s/[\w-]+/", email.body).group(0)
    assert link.startswith(f"{live_server.url}/s/")
    customer = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    phone = customer.new_page()
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Autumn review")).to_be_visible()
    expect(phone.get_by_role("link", name="Sign out")).to_have_count(0)
    for index, fieldset in enumerate(phone.locator("fieldset.scale-question").all()):
        fieldset.locator("label").nth(1 if index == 0 else 3).click()  # Trust 2, others 4
    phone.get_by_label("Anything else you want us to know?").fill("Two late deliveries.")
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("heading", name="Thank you")).to_be_visible()
    phone.goto(link)  # the same link again
    expect(phone.get_by_role("heading", name="You have answered already")).to_be_visible()
    expect(phone.get_by_role("button", name="Send my answers")).to_have_count(0)
    customer.close()

    page.goto(round_url)
    for group in page.locator("form.prediction fieldset").all():
        group.get_by_label("4").check()
    page.get_by_role("button", name="Save my prediction").click()
    expect(page.get_by_text("Your prediction is saved.")).to_be_visible()
    trust = page.locator("table.gaps tr", has_text="Trust")
    expect(trust).to_contain_text("2.00")
    expect(trust).to_contain_text("+2.00")
    expect(trust).to_contain_text("Blind spot")
    expect(page.locator(".blind-note")).to_contain_text("Trust (the team expects 2.00 more)")
    expect(page.get_by_text("Two late deliveries.")).to_be_visible()
