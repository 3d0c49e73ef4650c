"""After a load of bench/production.sh: is every acknowledged write in the database?

    .venv/bin/python bench/prod_check.py RUN_DIR PHASE...

Reads RUN_DIR/writes-PHASE.json (bench/locustfile.py: the interactions answered 201,
with their numbered notes; when 503s were answered) and looks each one up. Also counts
the writes that were committed but not acknowledged (the answer lost on the way: not an
error, the client saw a failure and may send it again). Prints one JSON line per phase
and exits 1 if an acknowledged write is missing.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django  # noqa: E402

django.setup()

from accounts_app.models import Interaction  # noqa: E402


def check(run_dir: Path, phase: str) -> dict:
    report = json.loads((run_dir / f"writes-{phase}.json").read_text())
    acked = {w["id"]: w["note"] for w in report["acknowledged"]}
    stored = dict(
        Interaction.objects.filter(note__startswith=f"bench-load {report['tag']} ").values_list(
            "id", "note"
        )
    )
    missing = [i for i, note in acked.items() if stored.get(i) != note]
    unavailable = report["unavailable"]
    return {
        "phase": phase,
        "acknowledged": len(acked),
        "found": len(acked) - len(missing),
        "missing": missing,
        "committed_not_acknowledged": len(set(stored) - set(acked)),
        "answers_503": len(unavailable),
        "first_503_to_last_s": round(max(unavailable) - min(unavailable), 1) if unavailable else 0,
        "first_503_at": min(unavailable) if unavailable else None,
        "other_failures": len(report["other_failures"]),
        "other_failure_examples": sorted(set(report["other_failures"]))[:5],
    }


def main() -> None:
    run_dir = Path(sys.argv[1])
    results = [check(run_dir, phase) for phase in sys.argv[2:]]
    for result in results:
        print(json.dumps(result))
    (run_dir / "writes-check.json").write_text(json.dumps(results, indent=1))
    sys.exit(1 if any(r["missing"] for r in results) else 0)


if __name__ == "__main__":
    main()
