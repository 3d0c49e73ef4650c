"""Sign-in lockout counted three ways (config/lockout.py): a user name from one address,
a user name from any address, an address over any user names; each has its own limit,
and a success clears only its own pair's failures. The limits are set low here."""

import pytest
from django.urls import reverse

from demo.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/login/"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.STRATA_LOCKOUT_USERNAME_LIMIT = 5
    settings.STRATA_LOCKOUT_ADDRESS_LIMIT = 6


def attempt(client, username, address, password="wrong-password"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
    ).status_code


def signs_in(client, username, address) -> bool:
    status = attempt(client, username, address, PASSWORD)
    if status == 302:
        client.post(reverse("logout"))
    return status == 302


def test_the_settings_default_to_five_twenty_and_thirty():
    from config.settings import base

    assert base.AXES_FAILURE_LIMIT == 5
    assert base.STRATA_LOCKOUT_USERNAME_LIMIT == 20
    assert base.STRATA_LOCKOUT_ADDRESS_LIMIT == 30
    assert base.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "username", "ip_address"]


# --- the pair ---------------------------------------------------------------------------------


def test_the_pair_locks_that_user_name_from_that_address_only(client, owner, teammate):
    assert [attempt(client, "owner", "10.0.0.1") for _ in range(3)] == [200, 200, 429]
    assert attempt(client, "owner", "10.0.0.1", PASSWORD) == 429
    assert signs_in(client, "owner", "10.0.0.2")
    assert signs_in(client, "teammate", "10.0.0.1")


# --- the user name, from many addresses -------------------------------------------------------


def test_a_user_name_guessed_from_many_addresses_is_locked_everywhere(client, owner, teammate):
    statuses = [attempt(client, "owner", f"10.0.1.{n}") for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert attempt(client, "owner", "10.0.2.1", PASSWORD) == 429  # a new address, too late
    assert signs_in(client, "teammate", "10.0.1.1")


def test_below_the_user_name_limit_the_owner_still_signs_in(client, owner):
    for n in range(4):
        attempt(client, "owner", f"10.0.1.{n}")
    assert signs_in(client, "owner", "10.0.2.1")


# --- the address, over many user names --------------------------------------------------------


def test_one_password_sprayed_over_many_user_names_locks_the_address(client, owner, teammate):
    names = ["alice", "bob", "carol", "dave", "erin", "frank"]
    statuses = [attempt(client, name, "10.0.3.1") for name in names]
    assert statuses == [200, 200, 200, 200, 200, 429]
    assert attempt(client, "owner", "10.0.3.1", PASSWORD) == 429
    assert signs_in(client, "owner", "10.0.3.2")  # the user names themselves are not locked


def test_a_success_does_not_wipe_the_addresss_failures(client, owner, teammate):
    """A sprayer holding one valid account cannot sign in with it to start counting again."""
    for name in ["alice", "bob", "carol", "dave", "erin"]:
        attempt(client, name, "10.0.3.1")
    assert signs_in(client, "teammate", "10.0.3.1")
    assert attempt(client, "frank", "10.0.3.1") == 429


def test_a_success_clears_its_own_pair(client, owner):
    for _ in range(2):
        attempt(client, "owner", "10.0.0.1")
    assert signs_in(client, "owner", "10.0.0.1")
    assert [attempt(client, "owner", "10.0.0.1") for _ in range(2)] == [200, 200]
