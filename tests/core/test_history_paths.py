"""No write path skips the history (DESIGN §11).

A model's `save()` and `delete()` record history by themselves; bulk writes and queryset
updates do not. This reads the application's code and requires every bulk write or
queryset update to go through core.history (which records each row, with its actor) or
to say on its line why the record it writes keeps no history (`# untracked: …`: a log
that is itself the history, a derived figure, a job's bookkeeping)."""

import ast
import importlib
import inspect
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The demo's seeds write their past through core.history where the demo shows it.
APPS = [
    "accounts_app",
    "core",
    "imports",
    "insights",
    "opportunities",
    "plans",
    "scorecards",
    "segmentation",
]
WRITES = {"update", "bulk_update", "bulk_create", "update_or_create", "get_or_create"}
# `update_or_create` and `get_or_create` save through the model: history records them.
BYPASSES = {"update", "bulk_update", "bulk_create"}


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path == ROOT / "core" / "history.py":
                continue
            yield path


def _bypassing_calls(path: Path):
    text = path.read_text()
    lines = text.splitlines()
    for node in ast.walk(ast.parse(text)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        if name not in BYPASSES:
            continue
        receiver = ast.unparse(node.func.value)
        if receiver in ("history", "super()") or receiver.endswith("history.objects"):
            continue  # core.history's helpers, or a resource's own (which records)
        if name == "update" and not node.keywords:
            continue  # dict.update / set.update take positional arguments
        if name == "update" and not any(
            hint in receiver for hint in ("objects", "filter(", "exclude(", "all()", "_set")
        ):
            continue  # a dict built with keywords, not a queryset
        span = lines[node.lineno - 2 : node.end_lineno]
        if any("# untracked:" in line for line in span):
            continue
        yield f"{path.relative_to(ROOT)}:{node.lineno}: {receiver}.{name}(…)"


def test_every_bulk_write_records_history_or_says_why_not():
    found = [hit for path in _sources() for hit in _bypassing_calls(path)]
    assert not found, (
        "Bulk writes that skip the history: write them with core.history "
        "(bulk_create, bulk_update, update) or mark the line `# untracked: <why>`:\n"
        + "\n".join(found)
    )


SERVICES = [
    "accounts_app.services.accounts",
    "accounts_app.services.people",
    "accounts_app.services.team",
    "imports.services",
    "insights.offboarding",
    "opportunities.services",
    "plans.reviews",
    "plans.services.clone",
    "plans.services.coaching",
    "plans.services.items",
    "plans.services.lifecycle",
    "plans.services.plans",
    "scorecards.alerts.services",
    "scorecards.services",
    "scorecards.surveys",
    "segmentation.services.overrides",
    "segmentation.services.runs",
]


def _services():
    for name in SERVICES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if attr.startswith("_") or not inspect.isfunction(inspect.unwrap(value)):
                continue
            if getattr(inspect.unwrap(value), "__module__", None) != name:
                continue
            if "by" in inspect.signature(inspect.unwrap(value)).parameters:
                yield f"{name}.{attr}", value


@pytest.mark.parametrize("name, service", list(_services()), ids=lambda v: str(v))
def test_every_service_records_its_by_as_the_actor(name, service):
    """In a request, a worker or a command alike (core.history.records_actor)."""
    if name == "insights.offboarding.user_offboard":
        return  # acts as `by` inside its own transaction
    assert getattr(service, "records_actor", False), f"{name} needs @records_actor"


@pytest.mark.parametrize(
    "source, expected",
    [
        ("Contact.objects.filter(pk=1).update(name='x')\n", 1),
        ("Contact.objects.bulk_create(rows)\n", 1),
        ("# untracked: a log\nAlertEvent.objects.bulk_create(rows)\n", 0),
        ("history.bulk_create(Contact, rows, by=user)\n", 0),
        ("seen.update(ids)\n", 0),
    ],
)
def test_the_reader_catches_what_it_should(tmp_path, source, expected):
    path = tmp_path / "x.py"
    path.write_text(source)
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert len(list(_bypassing_calls(path))) == expected
    finally:
        ROOT = saved
