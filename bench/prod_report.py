"""The summary of a bench/production.sh run, as Markdown, from the files in its folder.

    python3 bench/prod_report.py RUN_DIR

Standard library only (it runs with any Python 3): Locust's CSV statistics, the kills'
and the writes' JSON, the restart's timings.
"""

import csv
import json
import sys
from pathlib import Path


def stats(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open() as handle:
        return list(csv.DictReader(handle))


def number(row: dict, column: str) -> float:
    try:
        return float(row[column])
    except (KeyError, ValueError):
        return 0.0


def throughput(run: Path) -> list[str]:
    rows = [r for r in stats(run / "throughput_stats.csv") if r["Name"] == "accounts list"]
    if not rows:
        return []
    row = rows[0]
    return [
        "## Throughput: the accounts list, one node with 2 sync workers",
        "",
        f"{number(row, 'Requests/s'):.1f} requests/s over {int(number(row, 'Request Count'))}"
        f" requests, {int(number(row, 'Failure Count'))} failures; median "
        f"{number(row, '50%'):.0f} ms, p95 {number(row, '95%'):.0f} ms (target ≥ 40 req/s)",
        "",
    ]


def pages(run: Path, phase: str, title: str) -> list[str]:
    rows = stats(run / f"{phase}_stats.csv")
    if not rows:
        return []
    lines = [
        f"## {title}",
        "",
        "| page | requests | failures | median ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        lines.append(
            f"| {row['Name']} | {int(number(row, 'Request Count'))} | "
            f"{int(number(row, 'Failure Count'))} | {number(row, '50%'):.0f} | "
            f"{number(row, '95%'):.0f} | {number(row, 'Max Response Time'):.0f} |"
        )
    return [*lines, ""]


def kills(run: Path) -> list[str]:
    path = run / "kills.json"
    if not path.exists():
        return []
    data = json.loads(path.read_text())
    lines = [
        "## Kills",
        "",
        f"{data['kills']} kills ({data['attempts']} jobs sent), visibility timeout "
        f"{data['visibility_timeout_s']} s; every job finished once: "
        f"**{'yes' if data['all_finished_once'] else 'NO'}**; late second runs: "
        f"{data['late_second_runs'] or 'none'}; nightly recomputes finished "
        f"{data['recompute_completions_total']} times for {data['recompute_jobs']} jobs.",
        "",
        "| # | job | killed | finished after the kill (s) | outcome | ran to the end |",
        "|---:|---|---|---:|---|---:|",
    ]
    for row in data["rows"]:
        lines.append(
            f"| {row['kill']} | {row['job']} | {row['killed']} | "
            f"{row['finished_after_kill_s']} | {row['outcome']} | {row['completions']}× |"
        )
    return [*lines, ""]


def restart(run: Path) -> list[str]:
    lines = []
    path = run / "restart.json"
    if path.exists():
        data = json.loads(path.read_text())
        lines += [
            "## PostgreSQL restart under load",
            "",
            f"restart command {data['restart_command_s']} s; both nodes' /healthz answered 200 "
            f"{data['healthy_after_restart_start_s']} s after it began (queued behind the "
            f"load's requests: an upper bound); a job sent afterwards done in "
            f"{data['job_after_restart_s']} s.",
            "",
        ]
    path = run / "writes-check.json"
    if path.exists():
        lines += [
            "| phase | writes acknowledged | found | missing | committed, not acknowledged "
            "| 503s | first to last 503 (s) | other failures |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in json.loads(path.read_text()):
            lines.append(
                f"| {row['phase']} | {row['acknowledged']} | {row['found']} | "
                f"{len(row['missing'])} | {row['committed_not_acknowledged']} | "
                f"{row['answers_503']} | {row['first_503_to_last_s']} | {row['other_failures']} |"
            )
            if row["other_failure_examples"]:
                lines.append(
                    f"\nother failures ({row['phase']}): {row['other_failure_examples']}\n"
                )
        lines.append("")
    return lines


def main() -> None:
    run = Path(sys.argv[1])
    machine = (run / "machine.txt").read_text() if (run / "machine.txt").exists() else ""
    out = [f"# bench/production.sh — {run.name}", "", machine]
    out += throughput(run)
    out += pages(run, "load", "50 people, 2–5 s between pages (p95 target ≤ 300 ms)")
    out += kills(run)
    out += restart(run)
    out += pages(run, "restart", "The load during the PostgreSQL restart")
    print("\n".join(out))


if __name__ == "__main__":
    main()
