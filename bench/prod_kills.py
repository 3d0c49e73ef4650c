"""Kill Celery workers with SIGKILL in the middle of jobs and check each job finishes once.

Run by bench/production.sh against the running shape (production settings, the same
environment as the workers), with the folder where each worker node's supervisor loop
writes its main process id (`<node>.pid`) and its log (`<node>.log`):

    .venv/bin/python bench/prod_kills.py RUN_DIR [--kills 20] [--out kills.json]

Jobs in turn: the nightly recompute, an applied segmentation run, the executive portfolio
pack. Kills alternate between the pool process running the job (Celery requeues it at
once: task_reject_on_worker_lost) and the whole worker node, its main process and its
pool (the job comes back after the broker's visibility timeout; the node's supervisor
loop starts it again, as `restart: unless-stopped` would). A job counts as killed "in
the middle" when it had started its work (a run's first batch applied, a pack's first
account rendered, the recompute 1–4 s in); a job that finished first is not counted and
another is sent.

"Finished once": the job reaches its finished state, its effects are not doubled (one
tier change per account and run, a pack rendered with its pages) and its completion line
appears once in all the workers' logs (checked again after the visibility timeout, for
a late second delivery).
"""

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402

from accounts_app.models import Account, User  # noqa: E402
from config.celery import app  # noqa: E402
from insights.packs.portfolio import portfolio_pack_start  # noqa: E402
from insights.tasks import nightly_recompute  # noqa: E402
from plans.models import GeneratedPack  # noqa: E402
from segmentation.models import SegmentationRun, TierChange  # noqa: E402
from segmentation.services import segmentation_run_start  # noqa: E402

VISIBILITY = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
KINDS = ("recompute", "segmentation", "pack")
RECOMPUTE_DONE = "recomputed "  # insights.tasks: "recomputed N accounts and the portfolio"


def logs(run_dir: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in sorted(run_dir.glob("worker*.log")))


def completions(run_dir: Path, kind: str, key) -> int:
    text = logs(run_dir)
    if kind == "recompute":
        return text.count(RECOMPUTE_DONE)
    if kind == "segmentation":
        return text.count(f"segmentation run {key} done:")
    return text.count(f"portfolio pack {key} rendered:")


def active(task_id: str):
    """(node name, pool process id) of the worker running `task_id`, or None."""
    replies = app.control.inspect(timeout=0.5).active() or {}
    for node, tasks in replies.items():
        for running in tasks:
            if running["id"] == task_id:
                return node, running["worker_pid"]
    return None


def node_pids(run_dir: Path, node: str) -> list[int]:
    """The node's main process and its pool processes."""
    name = node.split("@")[0]
    main = int((run_dir / f"{name}.pid").read_text())
    children = subprocess.run(["pgrep", "-P", str(main)], capture_output=True, text=True)
    return [main, *(int(pid) for pid in children.stdout.split())]


_toggles: list[int] = []


def start(kind: str, admin: User, executive: User, number: int):
    """Send one job: (its Celery task id, the key its completion line names)."""
    if kind == "recompute":
        result = nightly_recompute.delay()
        return result.id, None, result
    if kind == "segmentation":
        # 3,000 accounts become strategic (5: Tier I by the default rules) and back in
        # turn, so that every run changes tiers and writes their history (and lasts a
        # few seconds: long enough to be caught in the middle).
        _toggles.append(1)
        strategic = 5 if len(_toggles) % 2 else 1
        ids = Account.objects.order_by("pk").values_list("pk", flat=True)[:3000]
        Account.objects.filter(pk__in=list(ids)).update(strategic_value=strategic)
        with transaction.atomic():
            run = segmentation_run_start(by=admin, dry_run=False)
        return None, run.pk, None
    pack = portfolio_pack_start(by=executive)
    return None, pack.pk, None


def task_id_of(kind: str, key) -> str | None:
    """The Celery task id of a run's or a pack's job, read from the broker's view."""
    name = {
        "segmentation": "segmentation.tasks.execute_segmentation_run",
        "pack": "insights.tasks.render_portfolio_pack",
    }[kind]
    replies = app.control.inspect(timeout=0.5).active() or {}
    for tasks in replies.values():
        for running in tasks:
            if running["name"] == name and running["args"] == [key]:
                return running["id"]
    return None


def started_work(kind: str, key) -> bool:
    model = SegmentationRun if kind == "segmentation" else GeneratedPack
    return model.objects.filter(pk=key, status="running").exists()


def in_the_middle(kind: str, key, since: float) -> bool:
    if kind == "recompute":
        return time.monotonic() - since >= random.uniform(1.0, 4.0)
    if kind == "segmentation":
        run = SegmentationRun.objects.get(pk=key)
        return run.status == "running" and run.processed > 0
    pack = GeneratedPack.objects.get(pk=key)
    return pack.status == "running" and (pack.progress_done or 0) >= 2


def finished(kind: str, key, result) -> bool:
    if kind == "recompute":
        return result.ready()
    if kind == "segmentation":
        return SegmentationRun.objects.get(pk=key).status in ("done", "failed")
    return GeneratedPack.objects.get(pk=key).status in ("done", "failed")


def effects_once(kind: str, key, result) -> tuple[bool, str]:
    if kind == "recompute":
        ok = result.successful()
        return ok, f"{result.result} accounts" if ok else repr(result.result)
    if kind == "segmentation":
        run = SegmentationRun.objects.get(pk=key)
        per_account = TierChange.objects.filter(run=run).values("account").annotate(n=Count("id"))
        doubled = per_account.filter(n__gt=1).count()
        moved = sum(1 for c in run.changes if c["from_tier"] != c["to_tier"])
        history = TierChange.objects.filter(run=run).count()
        ok = run.status == "done" and doubled == 0 and history == moved
        return (
            ok,
            f"{run.status}, {moved} tier changes listed, {history} recorded, {doubled} doubled",
        )
    pack = GeneratedPack.objects.get(pk=key)
    ok = pack.status == "done" and (pack.pages or 0) > 0 and bool(pack.pdf)
    return ok, f"{pack.status}, {pack.pages} pages"


def one_kill(run_dir: Path, kind: str, mode: str, number: int, admin, executive) -> dict | None:
    before = completions(run_dir, kind, None) if kind == "recompute" else 0
    task_id, key, result = start(kind, admin, executive, number)
    sent = time.monotonic()
    where = None
    while time.monotonic() - sent < 600:
        if kind != "recompute" and not task_id and not started_work(kind, key):
            if finished(kind, key, result):
                print(f"  {kind}: finished before it was seen running; sending another")
                return None
            time.sleep(0.05)  # the record says when the job begins: no need to ask workers
            continue
        task_id = task_id or task_id_of(kind, key)
        where = active(task_id) if task_id else None
        if where:
            break
        if finished(kind, key, result):
            print(f"  {kind}: finished before it was seen running; sending another")
            return None
        time.sleep(0.2)
    if not where:
        print(f"  {kind}: not started within 600 s; sending another")
        return None
    began = time.monotonic()
    while not in_the_middle(kind, key, began):
        if finished(kind, key, result):
            print(f"  {kind}: finished before the kill; sending another")
            return None
        time.sleep(0.05)
    node, pool_pid = where
    victims = [pool_pid] if mode == "pool process" else node_pids(run_dir, node)
    for pid in victims:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    killed = time.monotonic()
    deadline = killed + VISIBILITY + 120
    while not finished(kind, key, result) and time.monotonic() < deadline:
        time.sleep(0.5)
    ok, what = effects_once(kind, key, result)
    ran = completions(run_dir, kind, key) - before
    row = {
        "kill": number,
        "job": kind,
        "key": key,
        "killed": mode,
        "node": node,
        "finished_after_kill_s": round(time.monotonic() - killed, 1),
        "outcome": what,
        "completions": ran,
        "ok": ok and ran == 1,
    }
    print(f"  kill {number:2}: {kind:<12} {mode:<12} → {what}; ran to the end {ran}×")
    return row


def wait_until_idle(limit: float = 900) -> None:
    """Start from quiet workers: the load's writes leave recompute jobs queued."""
    started = time.monotonic()
    with app.connection_for_write() as connection:
        client = connection.channel().client
        while time.monotonic() - started < limit:
            busy = sum((app.control.inspect(timeout=0.5).active() or {}).values(), [])
            if client.llen("celery") == 0 and not busy:
                break
            time.sleep(2)
    print(f"workers idle after {time.monotonic() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    random.seed(19)
    admin = User.objects.get(username="bench-user-0001")
    executive = User.objects.filter(role=User.Role.EXECUTIVE).order_by("username").first()
    wait_until_idle()
    rows, attempt = [], 0
    while len(rows) < args.kills and attempt < args.kills * 3:
        number = len(rows) + 1
        kind = KINDS[(number - 1) % len(KINDS)]
        mode = "pool process" if number % 2 else "whole node"
        attempt += 1
        row = one_kill(args.run_dir, kind, mode, number, admin, executive)
        if row:
            rows.append(row)
    print(f"waiting {VISIBILITY + 20} s (the visibility timeout) for any late second delivery")
    time.sleep(VISIBILITY + 20)
    late = []
    for row in rows:
        if row["job"] != "recompute" and completions(args.run_dir, row["job"], row["key"]) != 1:
            late.append(row["kill"])
    recomputes = sum(1 for r in rows if r["job"] == "recompute")
    summary = {
        "kills": len(rows),
        "attempts": attempt,
        "all_finished_once": all(r["ok"] for r in rows) and not late,
        "late_second_runs": late,
        "visibility_timeout_s": VISIBILITY,
        "recompute_completions_total": completions(args.run_dir, "recompute", None),
        "recompute_jobs": recomputes,
        "rows": rows,
    }
    if args.out:
        args.out.write_text(json.dumps(summary, indent=1))
    print(json.dumps({k: v for k, v in summary.items() if k != "rows"}))
    sys.exit(0 if summary["all_finished_once"] else 1)


if __name__ == "__main__":
    main()
