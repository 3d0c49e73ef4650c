"""Profile one page in-process as one user: where its time goes (Python and SQL).

    DATABASE_URL=postgres://... .venv/bin/python bench/profile_page.py /accounts/ --as manager

Prints the median time over --repeat requests, the SQL time and count of one request,
and the functions with the most cumulative time (cProfile) over the repeats."""

import argparse
import cProfile
import pstats
import time

import _setup  # noqa: I001 — sets Django up; first of the project's imports
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts_app.models import User  # noqa: E402


def user_for(role: str) -> User:
    if role == "admin":
        return User.objects.filter(role=User.Role.ADMIN).order_by("pk").first()
    if role == "manager":
        return (
            User.objects.filter(role=User.Role.MANAGER, reports__isnull=False)
            .order_by("username")
            .first()
        )
    if role == "executive":
        return User.objects.filter(role=User.Role.EXECUTIVE).order_by("pk").first()
    return (
        User.objects.filter(role=User.Role.TEAM_MEMBER, team_memberships__isnull=False)
        .order_by("username")
        .first()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--as", dest="role", default="manager")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args()
    client = Client()
    client.force_login(user_for(args.role))
    client.get(args.url)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(args.url)
        whole = (time.perf_counter() - started) * 1000
    sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    print(
        f"{args.url} as {args.role}: {response.status_code}, {len(queries)} queries, "
        f"SQL {sql:.1f} ms of {whole:.1f} ms (with the query log on)"
    )
    for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:5]:
        print(f"  {float(q['time']) * 1000:6.1f} ms  {q['sql'][:160]}")
    reset_queries()
    timings = []
    profile = cProfile.Profile()
    for _ in range(args.repeat):
        started = time.perf_counter()
        profile.enable()
        client.get(args.url)
        profile.disable()
        timings.append((time.perf_counter() - started) * 1000)
    median, p95 = _setup.median_p95(timings)
    print(f"median {median:.1f} ms, p95 {p95:.1f} ms over {args.repeat} (profiled)")
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
