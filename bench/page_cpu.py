"""CPU per page: what a request costs the web process and its PostgreSQL backend, in
CPU milliseconds rather than wall time, so that a busy machine does not blur it.

    DATABASE_URL=postgres://... .venv/bin/python bench/page_cpu.py --as manager /accounts/ /

For each URL: the median over --repeat requests (after one warm-up) of the Django
process's CPU time (time.process_time) and of the database backend's (utime + stime of
its process, read from /proc; the server must run on this machine), and the number of
queries. With 2 sync workers on 2 cores, a page that costs C ms of CPU in all cannot be
served faster than 2000 / C times a second."""

import argparse
import os
import statistics
import time

import _setup  # noqa: F401, I001 — sets Django up; first of the project's imports
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from profile_page import user_for  # noqa: E402

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def backend_cpu_ms(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * TICK_MS  # utime, stime


def measure(client: Client, url: str, repeat: int, pid: int) -> tuple[float, float, int]:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries)
    app, database = [], []
    for _ in range(repeat):
        cpu, db = time.process_time(), backend_cpu_ms(pid)
        client.get(url)
        app.append((time.process_time() - cpu) * 1000)
        database.append(backend_cpu_ms(pid) - db)
    # The backend's clock ticks in 10 ms: its mean over the repeats, not its median.
    return statistics.median(app), statistics.fmean(database), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--as", dest="role", default="manager")
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    client = Client()
    client.force_login(user_for(args.role))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    print(f"| page, as {args.role} | web CPU ms | database CPU ms | queries |")
    print("|---|---:|---:|---:|")
    for url in args.urls:
        app, database, count = measure(client, url, args.repeat, pid)
        print(f"| {url} | {app:.1f} | {database:.1f} | {count} |")


if __name__ == "__main__":
    main()
