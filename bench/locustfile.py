"""The load of bench/production.sh: people of every role reading Strata's main pages and
team members logging interactions, each thinking 2–5 s between page views.

Not for CI: Locust lives in .venv-bench (bench/requirements.txt). Environment:

- BENCH_USERS: the JSON file bench/prod_setup.py wrote (users by role, password).
- BENCH_HOSTS: the web nodes, comma-separated; each simulated person sticks to one
  (as a load balancer with sticky sessions would place them).
- BENCH_OUT, BENCH_PHASE: where the acknowledged writes and the 503s of this run are
  written at the end (BENCH_OUT/writes-BENCH_PHASE.json).

User classes: TeamMember (30), Manager (10), Executive (5), Admin (5) — `-u 50` starts
exactly these; ListThroughput (no think time, the accounts list only) measures
requests per second on one node.
"""

import itertools
import json
import os
import random
import time
from datetime import date
from pathlib import Path

from locust import HttpUser, between, constant, events

SETUP = json.loads(Path(os.environ["BENCH_USERS"]).read_text())
HOSTS = os.environ.get("BENCH_HOSTS", "http://127.0.0.1:8001").split(",")
PHASE = os.environ.get("BENCH_PHASE", "load")
# Each run's writes carry its name, so that runs on the same database are told apart.
TAG = f"{os.environ.get('BENCH_TAG', 'run')} {PHASE}"
OUT = Path(os.environ.get("BENCH_OUT", "."))

_pick = {role: itertools.count() for role in SETUP["users"]}
_hosts = itertools.count()
acknowledged: list[dict] = []  # writes answered 201: each must be in the database
unavailable: list[float] = []  # when a 503 was answered (epoch seconds)
others: list[str] = []  # any other failure


@events.request.add_listener
def _record(name, response, exception, **kwargs):
    status = getattr(response, "status_code", None)
    if status == 503:
        unavailable.append(time.time())
    elif exception is not None or (status is not None and status >= 400):
        others.append(f"{name}: {status or exception}")


@events.test_stop.add_listener
def _write_down(environment, **kwargs):
    report = {
        "phase": PHASE,
        "tag": TAG,
        "acknowledged": acknowledged,
        "unavailable": unavailable,
        "other_failures": others,
    }
    (OUT / f"writes-{PHASE}.json").write_text(json.dumps(report))


class Person(HttpUser):
    abstract = True
    role = ""
    wait_time = between(2, 5)
    host = HOSTS[0]

    def on_start(self):
        self.client.base_url = HOSTS[next(_hosts) % len(HOSTS)]
        users = SETUP["users"][self.role]
        self.user = users[next(_pick[self.role]) % len(users)]
        self.sign_in()

    def sign_in(self):
        self.client.get("/login/", name="sign in (form)")
        response = self.client.post(
            "/login/",
            {
                "username": self.user["username"],
                "password": SETUP["password"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name="sign in",
        )
        if "/login/" in response.url:
            raise RuntimeError(f"{self.user['username']} could not sign in")

    def page(self, url: str, name: str | None = None):
        with self.client.get(url, name=name or url, catch_response=True) as response:
            if response.status_code == 200 and "/login/" in response.url:
                response.failure("signed out")  # a lost session would be a bug


def visit(name: str, url):
    """A page view task: `url` a path, or a function of the simulated person giving one."""

    def view(person):
        person.page(url(person) if callable(url) else url, name)

    view.__name__ = name.replace(" ", "_")
    return view


def account_page(tab: str):
    return lambda person: f"/accounts/{random.choice(person.user['accounts'])['id']}/{tab}"


def log_interaction(person):
    """A numbered write: acknowledged (201) ones are checked in the database later."""
    account = random.choice(person.user["accounts"])
    person.written = getattr(person, "written", 0) + 1
    note = f"bench-load {TAG} {person.user['username']} #{person.written} {time.time():.3f}"
    response = person.client.post(
        "/api/v1/interactions/",
        json={
            "account": account["id"],
            "kind": "call",
            "date": date.today().isoformat(),
            "subject": "Load test call",
            "note": note,
            "contacts": [account["contact"]],
            "team_users": [person.user["id"]],
        },
        headers={"X-CSRFToken": person.client.cookies.get("csrftoken", "")},
        name="log an interaction (API)",
    )
    if response.status_code == 201:
        acknowledged.append({"id": response.json()["id"], "note": note})


HOME, ACCOUNTS = visit("home", "/"), visit("accounts list", "/accounts/")
SEGMENTATION = visit("segmentation portfolio", "/segmentation/")
OPPORTUNITIES = visit("opportunities", "/opportunities/")
ALERTS, PLANS = visit("alerts inbox", "/alerts/"), visit("plans", "/plans/")
TEAM_DASHBOARD = visit("team dashboard", "/dashboards/")
PORTFOLIO = visit("portfolio dashboard", "/dashboards/portfolio/")
RUNS = visit("segmentation runs", "/segmentation/runs/")
ACTIVITY = visit("activity log", "/activity/")
OVERVIEW = visit("account overview", account_page(""))
CONTACTS = visit("account contacts", account_page("contacts/"))
RELATIONSHIPS = visit("account relationships", account_page("relationships/"))
PLAN = visit("account plan", account_page("plan/"))
HEALTH = visit("account health", account_page("health/"))


class TeamMember(Person):
    role, fixed_count = "team_member", 30
    tasks = {HOME: 3, ACCOUNTS: 3, OVERVIEW: 2, CONTACTS: 1, RELATIONSHIPS: 1, PLAN: 1}
    tasks |= {HEALTH: 1, ALERTS: 1, OPPORTUNITIES: 1, log_interaction: 2}


class Manager(Person):
    role, fixed_count = "manager", 10
    tasks = {HOME: 3, ACCOUNTS: 2, TEAM_DASHBOARD: 2, ALERTS: 2, PLANS: 1, OPPORTUNITIES: 1}
    tasks |= {SEGMENTATION: 1}


class Executive(Person):
    role, fixed_count = "executive", 5
    tasks = {HOME: 3, PORTFOLIO: 3, ACCOUNTS: 1, SEGMENTATION: 1, OPPORTUNITIES: 1}


class Admin(Person):
    role, fixed_count = "admin", 5
    tasks = {HOME: 3, ACCOUNTS: 2, SEGMENTATION: 1, RUNS: 1, ACTIVITY: 1, TEAM_DASHBOARD: 1}


class ListThroughput(Person):
    """The accounts list, back to back, as BENCH_LIST_ROLE (a manager by default)."""

    role = os.environ.get("BENCH_LIST_ROLE", "manager")
    wait_time = constant(0)

    def on_start(self):
        self.client.base_url = HOSTS[0]
        users = SETUP["users"][self.role]
        self.user = users[next(_pick[self.role]) % len(users)]
        self.sign_in()

    tasks = [ACCOUNTS]
