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

from locust import HttpUser, between, constant, events, task

SETUP = json.loads(Path(os.environ["BENCH_USERS"]).read_text())
HOSTS = os.environ.get("BENCH_HOSTS", "http://127.0.0.1:8001").split(",")
PHASE = os.environ.get("BENCH_PHASE", "load")
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


class TeamMember(Person):
    role = "team_member"
    fixed_count = 30

    def on_start(self):
        super().on_start()
        self.written = 0

    def account(self) -> dict:
        return random.choice(self.user["accounts"])

    @task(3)
    def home(self):
        self.page("/", "home")

    @task(3)
    def accounts(self):
        self.page("/accounts/", "accounts list")

    @task(2)
    def overview(self):
        self.page(f"/accounts/{self.account()['id']}/", "account overview")

    @task(1)
    def contacts(self):
        self.page(f"/accounts/{self.account()['id']}/contacts/", "account contacts")

    @task(1)
    def relationships(self):
        self.page(f"/accounts/{self.account()['id']}/relationships/", "account relationships")

    @task(1)
    def plan(self):
        self.page(f"/accounts/{self.account()['id']}/plan/", "account plan")

    @task(1)
    def health(self):
        self.page(f"/accounts/{self.account()['id']}/health/", "account health")

    @task(1)
    def alerts(self):
        self.page("/alerts/", "alerts inbox")

    @task(1)
    def opportunities(self):
        self.page("/opportunities/", "opportunities")

    @task(2)
    def log_interaction(self):
        """A numbered write: acknowledged (201) ones are checked in the database later."""
        account = self.account()
        self.written += 1
        note = f"bench-load {PHASE} {self.user['username']} #{self.written} {time.time():.3f}"
        response = self.client.post(
            "/api/v1/interactions/",
            json={
                "account": account["id"],
                "kind": "call",
                "date": date.today().isoformat(),
                "subject": "Load test call",
                "note": note,
                "contacts": [account["contact"]],
                "team_users": [self.user["id"]],
            },
            headers={"X-CSRFToken": self.client.cookies.get("csrftoken", "")},
            name="log an interaction (API)",
        )
        if response.status_code == 201:
            acknowledged.append({"id": response.json()["id"], "note": note})


class Manager(Person):
    role = "manager"
    fixed_count = 10

    @task(3)
    def home(self):
        self.page("/", "home")

    @task(2)
    def accounts(self):
        self.page("/accounts/", "accounts list")

    @task(2)
    def dashboard(self):
        self.page("/dashboards/", "team dashboard")

    @task(2)
    def alerts(self):
        self.page("/alerts/", "alerts inbox")

    @task(1)
    def plans(self):
        self.page("/plans/", "plans")

    @task(1)
    def opportunities(self):
        self.page("/opportunities/", "opportunities")

    @task(1)
    def segmentation(self):
        self.page("/segmentation/", "segmentation portfolio")


class Executive(Person):
    role = "executive"
    fixed_count = 5

    @task(3)
    def home(self):
        self.page("/", "home")

    @task(3)
    def portfolio(self):
        self.page("/dashboards/portfolio/", "portfolio dashboard")

    @task(1)
    def accounts(self):
        self.page("/accounts/", "accounts list")

    @task(1)
    def segmentation(self):
        self.page("/segmentation/", "segmentation portfolio")

    @task(1)
    def opportunities(self):
        self.page("/opportunities/", "opportunities")


class Admin(Person):
    role = "admin"
    fixed_count = 5

    @task(3)
    def home(self):
        self.page("/", "home")

    @task(2)
    def accounts(self):
        self.page("/accounts/", "accounts list")

    @task(1)
    def segmentation(self):
        self.page("/segmentation/", "segmentation portfolio")

    @task(1)
    def runs(self):
        self.page("/segmentation/runs/", "segmentation runs")

    @task(1)
    def activity(self):
        self.page("/activity/", "activity log")

    @task(1)
    def dashboard(self):
        self.page("/dashboards/", "team dashboard")


class ListThroughput(Person):
    """The accounts list, back to back, as BENCH_LIST_ROLE (a manager by default)."""

    role = os.environ.get("BENCH_LIST_ROLE", "manager")
    wait_time = constant(0)

    def on_start(self):
        self.client.base_url = HOSTS[0]
        users = SETUP["users"][self.role]
        self.user = users[next(_pick[self.role]) % len(users)]
        self.sign_in()

    @task
    def accounts(self):
        self.page("/accounts/", "accounts list")
