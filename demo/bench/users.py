"""The bench users (`seed_bench`): ``bench-user-0001``… User 0001 is an admin, 0002–0005
executives, 0006–0025 managers, the rest team members reporting to them; none has a
usable password (benchmarks use ``force_login``)."""

import random

from django.contrib.auth.hashers import make_password

from accounts_app.models import User
from demo import names
from demo.factories import UserFactory

from .progress import BenchRun

USER_PREFIX = "bench-user-"
EXECUTIVES = 5  # bench-user-0001 is the admin, 0002-0005 are executives
MANAGERS = 20


def username(number: int) -> str:
    return f"{USER_PREFIX}{number:04d}"


def users_ensure(run: BenchRun, n_users: int) -> dict[int, User]:
    """The bench users by number, the missing ones created: the admin and executives,
    then managers reporting to an executive, then team members reporting to a manager."""
    found = {
        int(u.username[len(USER_PREFIX) :]): u
        for u in User.objects.filter(username__startswith=USER_PREFIX)
        if u.username[len(USER_PREFIX) :].isdigit()
    }
    # Hashed once, shared by every bench user (and not at all when none is missing).
    # No usable password: benchmarks sign in with force_login (bench/pages.py); set
    # one with `manage.py changepassword bench-user-0001` to use the browser.
    password = make_password(None)
    tiers = (
        range(1, EXECUTIVES + 1),
        range(EXECUTIVES + 1, EXECUTIVES + MANAGERS + 1),
        range(EXECUTIVES + MANAGERS + 1, n_users + 1),
    )
    # Executives, then managers, then team members: each tier's bosses exist already.
    for tier in tiers:
        new = []
        for number in tier:
            if number in found:
                continue
            rng = random.Random(run.seed * 1_000_003 + number)
            if number == 1:
                role, boss, title = User.Role.ADMIN, None, "Sales Operations Administrator"
            elif number <= EXECUTIVES:
                role, boss, title = User.Role.EXECUTIVE, None, "Vice President Sales"
            elif number <= EXECUTIVES + MANAGERS:
                role, title = User.Role.MANAGER, "Key Account Director"
                boss = found.get(2 + (number - 1) % (EXECUTIVES - 1))
            else:
                role, title = User.Role.TEAM_MEMBER, "Key Account Manager"
                boss = found.get(EXECUTIVES + 1 + (number - 1) % MANAGERS)
            new.append(
                UserFactory.build(
                    username=username(number),
                    first_name=rng.choice(names.FIRST_NAMES),
                    last_name=rng.choice(names.LAST_NAMES),
                    email=f"{username(number)}@bench.example",
                    role=role,
                    is_staff=role == User.Role.ADMIN,
                    manager=boss,
                    title=title,
                    password=password,
                )
            )
        User.objects.bulk_create(new, batch_size=run.batch)
        for user in new:
            found[int(user.username[len(USER_PREFIX) :])] = user
        run.created["users"] += len(new)
    return found
