"""The demo's users (`seed_demo`), all with the password ``strata-demo`` (generated ones,
one each, when seeded on production settings):

    admin    admin (staff, superuser)
    exec     executive
    manager  manager of alice, bob and four more
    mira     manager of six more
    alice    team member: owns 8 accounts, on the team of 3 more
    bob      team member: owns 8 other accounts, on the team of 3 more (none of alice's)

Found by username; only the missing ones are created.
"""

from collections.abc import Callable

from django.contrib.auth.hashers import make_password

from accounts_app.models import User
from demo.factories import UserFactory

from .tally import Tally

PASSWORD = "strata-demo"

Role = User.Role

# (username, first, last, title, role, manager username, owns accounts, team role as member)
TM = Role.TEAM_MEMBER
DEMO_USERS = [
    ("admin", "Ada", "Lindqvist", "Sales Operations Administrator", Role.ADMIN, None, 0, None),
    ("exec", "Evelyn", "Marsh", "Chief Commercial Officer", Role.EXECUTIVE, None, 0, None),
    ("manager", "Marcus", "Okoye", "Head of Key Account Management", Role.MANAGER, "exec", 0, None),
    ("mira", "Mira", "Castellanos", "Regional Sales Director", Role.MANAGER, "exec", 0, None),
    ("alice", "Alice", "Moreau", "Key Account Manager", TM, "manager", 1, None),
    ("bob", "Bob", "Tanaka", "Key Account Manager", TM, "manager", 1, None),
    ("dana", "Dana", "Whitfield", "Senior Key Account Manager", TM, "manager", 1, None),
    ("henrik", "Henrik", "Solberg", "Global Account Director", TM, "manager", 1, None),
    ("felix", "Felix", "Brandt", "Solutions Engineer", TM, "manager", 0, "technical"),
    ("grace", "Grace", "Okonjo", "Customer Success Manager", TM, "manager", 0, "service"),
    ("ivan", "Ivan", "Petrović", "Key Account Manager", TM, "mira", 1, None),
    ("julia", "Julia", "Romero", "Key Account Manager", TM, "mira", 1, None),
    ("kenji", "Kenji", "Watanabe", "Account Director", TM, "mira", 1, None),
    ("lena", "Lena", "Fischer", "Key Account Manager", TM, "mira", 1, None),
    ("nora", "Nora", "Achebe", "Finance Business Partner", TM, "mira", 0, "finance"),
    ("omar", "Omar", "Haddad", "Technical Account Manager", TM, "mira", 0, "technical"),
]  # fmt: skip

OWNED_BY_ALICE = OWNED_BY_BOB = 8
MEMBER_ALICE = MEMBER_BOB = 3


def users_ensure(
    tally: Tally, *, password_for: Callable[[str], str] | None = None
) -> dict[str, User]:
    """The demo users by username, the missing ones created (bosses first: the list is
    in that order) with `password_for(username)`, else the shared demo password."""
    usernames = [row[0] for row in DEMO_USERS]
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    shared = None
    for username, first, last, title, role, boss, _, _ in DEMO_USERS:
        if username in users:
            continue
        if password_for is not None:
            password = make_password(password_for(username))
        else:
            password = shared = shared or make_password(PASSWORD)  # hash once, share it
        users[username] = UserFactory(
            username=username,
            first_name=first,
            last_name=last,
            title=title,
            role=role,
            email=f"{username}@strata-demo.example",
            manager=users.get(boss) if boss else None,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
            password=password,
        )
        tally.created["users"] += 1
    return users
