#!/usr/bin/env bash
# The production shape, proven (issue 19; DESIGN §8 and §9). On this machine, without a
# container engine, the processes docker-compose.yml describes, started by hand with the
# production settings: two gunicorn web nodes (ports 8001 and 8002, 2 sync workers
# each), two Celery workers (2 pool processes each) under a loop that starts a killed one
# again (compose's `restart: unless-stopped`), one beat, on PostgreSQL and Redis, on the
# DESIGN §9 data set (seed_bench: created once, ~10 min; reused after). Then, each phase
# bounded in time:
#
#   throughput  the accounts list back to back on one node (2 sync workers): requests/s
#   load        50 people of every role, 2–5 s between pages, both nodes: p95 per page
#   kills       20 SIGKILLs of a worker mid-job (bench/prod_kills.py): each job once
#   restart     PostgreSQL restarted under the 50-person load: 503s, recovery, writes
#
# Usage:  bench/production.sh            (all phases; or BENCH_PHASES="load kills")
# Environment (defaults in brackets):
#   DATABASE_URL [postgres://postgres@127.0.0.1:5432/strata_bench], created if missing
#   REDIS_URL [redis://127.0.0.1:6379/7] — its database is emptied first: use a spare one
#   BENCH_PG_RESTART [pg_ctlcluster … main restart] the command that restarts PostgreSQL
#   BENCH_LOAD_SECONDS [300], BENCH_LIST_SECONDS [60], BENCH_KILLS [20],
#   BENCH_RESTART_LOAD_SECONDS [120], BENCH_RESTART_AT [45] (seconds into that load)
#   STRATA_BROKER_VISIBILITY_TIMEOUT [30 here, 3600 in production]: how long a job of a
#   worker killed whole waits before it is delivered again
# Results: var/prod-bench/<date-time>/summary.md (and the raw CSV and JSON beside it).
# Locust is installed on first use into .venv-bench from bench/requirements.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python

: "${DATABASE_URL:=postgres://postgres@127.0.0.1:5432/strata_bench}"
: "${REDIS_URL:=redis://127.0.0.1:6379/7}"
: "${BENCH_PG_RESTART:=pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | head -n 1) main restart}"
: "${BENCH_PHASES:=throughput load kills restart}"
: "${BENCH_LOAD_SECONDS:=300}"
: "${BENCH_LIST_SECONDS:=60}"
: "${BENCH_LIST_USERS:=4}"
: "${BENCH_KILLS:=20}"
: "${BENCH_RESTART_LOAD_SECONDS:=120}"
: "${BENCH_RESTART_AT:=45}"
: "${WEB_WORKERS:=2}"
RUN=${BENCH_RUN_DIR:-$ROOT/var/prod-bench/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RUN" "$ROOT/var/prod-bench/var"

# --- The production settings, for plain HTTP on the loopback ----------------------------
export DJANGO_SETTINGS_MODULE=config.settings.production
export DATABASE_URL REDIS_URL
SECRET_KEY=${SECRET_KEY:-$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')}
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1,localhost
export STRATA_BASE_URL=http://127.0.0.1:8001
# No TLS proxy in front here: cookies without Secure, no redirect to https, no HSTS.
export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export SECURE_HSTS_SECONDS=0
export STRATA_VAR_DIR=$ROOT/var/prod-bench/var   # static files, beat schedule: kept
export PROMETHEUS_MULTIPROC_DIR=$RUN/metrics
export STRATA_METRICS_TOKEN=bench-metrics-token-$RANDOM$RANDOM$RANDOM
export STRATA_BROKER_VISIBILITY_TIMEOUT=${STRATA_BROKER_VISIBILITY_TIMEOUT:-30}
# Portfolio packs of 30 Tier I accounts (production: 100): a few seconds each, 7 of them.
export STRATA_PORTFOLIO_PACK_ACCOUNTS=${STRATA_PORTFOLIO_PACK_ACCOUNTS:-30}
mkdir -p "$PROMETHEUS_MULTIPROC_DIR"

say() { printf '\n=== %s (%s)\n' "$*" "$(date +%H:%M:%S)"; }

# --- Locust, outside the project's virtualenv ---------------------------------------
if [ ! -x .venv-bench/bin/locust ]; then
  say "Installing the bench tools into .venv-bench (bench/requirements.txt)"
  python3 -m venv .venv-bench
  .venv-bench/bin/pip install -q -r bench/requirements.txt
fi

# --- The database, the data set, the static files ------------------------------------
say "Database ${DATABASE_URL%%\?*} and the DESIGN §9 data set"
db_name=${DATABASE_URL##*/}
db_server=${DATABASE_URL%/*}
psql "$db_server/postgres" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$db_name'" | grep -q 1 \
  || psql "$db_server/postgres" -qc "CREATE DATABASE $db_name"
$PY manage.py migrate --noinput -v0
$PY manage.py seed_bench          # adds only what is missing: seconds when it is there
[ -f "$STRATA_VAR_DIR/staticfiles/staticfiles.json" ] || $PY manage.py collectstatic --noinput -v0
$PY bench/prod_setup.py "$RUN/users.json"
redis-cli -u "$REDIS_URL" flushdb >/dev/null

# --- The shape -----------------------------------------------------------------------
PIDS=()
cleanup() {
  set +e
  touch "$RUN/stop"
  for name in worker1 worker2; do
    [ -f "$RUN/$name.pid" ] && kill -TERM "$(cat "$RUN/$name.pid")" 2>/dev/null
  done
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
}
trap cleanup EXIT

say "Starting 2 web nodes, 2 workers, 1 beat (logs in $RUN)"
for node in 1 2; do
  .venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:800$node" \
    --workers "$WEB_WORKERS" --access-logfile "$RUN/web$node-access.log" \
    --error-logfile "$RUN/web$node.log" &
  PIDS+=($!)
done
supervise() {  # a worker node, started again whenever it dies
  local name=$1
  while [ ! -e "$RUN/stop" ]; do
    .venv/bin/celery -A config worker -n "$name@%h" -c 2 --loglevel=info >>"$RUN/$name.log" 2>&1 &
    echo $! >"$RUN/$name.pid"
    wait $! || true
    [ -e "$RUN/stop" ] || { echo "[supervisor] $name died; starting it again" >>"$RUN/$name.log"; sleep 1; }
  done
}
supervise worker1 & PIDS+=($!)
supervise worker2 & PIDS+=($!)
.venv/bin/celery -A config beat --loglevel=info --schedule "$STRATA_VAR_DIR/celerybeat-schedule" \
  >"$RUN/beat.log" 2>&1 &
PIDS+=($!)
for port in 8001 8002; do
  for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 1; done
  echo "node $port: $(curl -sS "http://127.0.0.1:$port/healthz")"
done
for _ in $(seq 1 60); do
  $PY -c "from config.celery import app; import sys; sys.exit(len(app.control.ping(timeout=1)) < 2)" 2>/dev/null && break
  sleep 1
done
echo "workers: $($PY -c "from config.celery import app; print(sorted(n for r in app.control.ping(timeout=1) for n in r))")"

locust() {  # phase, seconds, users, hosts, classes...
  local phase=$1 seconds=$2 users=$3 hosts=$4
  shift 4
  BENCH_USERS=$RUN/users.json BENCH_HOSTS=$hosts BENCH_OUT=$RUN BENCH_PHASE=$phase BENCH_TAG=${RUN##*/} \
    .venv-bench/bin/locust -f bench/locustfile.py --headless -u "$users" -r 2 -t "${seconds}s" \
    --stop-timeout 10 --csv "$RUN/$phase" --only-summary --loglevel WARNING \
    --exit-code-on-error 0 "$@" >"$RUN/$phase-locust.log" 2>&1
}
BOTH=http://127.0.0.1:8001,http://127.0.0.1:8002
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$RUN/machine.txt"

for phase in $BENCH_PHASES; do
  case $phase in
    throughput)
      say "Throughput: the accounts list back to back, $BENCH_LIST_USERS clients, one node, ${BENCH_LIST_SECONDS}s"
      locust throughput "$BENCH_LIST_SECONDS" "$BENCH_LIST_USERS" http://127.0.0.1:8001 ListThroughput
      ;;
    load)
      say "Load: 50 people, 2–5 s between pages, both nodes, ${BENCH_LOAD_SECONDS}s"
      locust load "$BENCH_LOAD_SECONDS" 50 "$BOTH" TeamMember Manager Executive Admin
      ;;
    kills)
      say "Kills: $BENCH_KILLS SIGKILLs of a worker in the middle of a job"
      $PY bench/prod_kills.py "$RUN" --kills "$BENCH_KILLS" --out "$RUN/kills.json" || echo "kills: NOT all finished once"
      ;;
    restart)
      say "PostgreSQL restarted ${BENCH_RESTART_AT}s into ${BENCH_RESTART_LOAD_SECONDS}s of the 50-person load"
      locust restart "$BENCH_RESTART_LOAD_SECONDS" 50 "$BOTH" TeamMember Manager Executive Admin &
      load_pid=$!
      sleep "$BENCH_RESTART_AT"
      began=$(date +%s.%N)
      $BENCH_PG_RESTART
      ended=$(date +%s.%N)
      healthy=""  # /healthz waits its turn behind the load's requests: an upper bound
      for _ in $(seq 1 120); do
        if curl -fsS http://127.0.0.1:8001/healthz >/dev/null 2>&1 && curl -fsS http://127.0.0.1:8002/healthz >/dev/null 2>&1; then
          healthy=$(date +%s.%N); break
        fi
        sleep 0.25
      done
      wait "$load_pid" || true
      # The workers too: a job sent after the restart is carried out.
      job_started=$(date +%s.%N)
      $PY -c "import django; django.setup(); from insights.tasks import refresh_portfolio as t; t.delay().get(timeout=120)"
      job_done=$(date +%s.%N)
      python3 - "$RUN/restart.json" "$began" "$ended" "${healthy:-0}" "$job_started" "$job_done" <<'PY'
import json, sys
out, began, ended, healthy, job_started, job_done = sys.argv[1], *map(float, sys.argv[2:])
json.dump({"restart_started": began, "restart_command_s": round(ended - began, 2),
           "healthy_after_restart_start_s": round(healthy - began, 2) if healthy else None,
           "job_after_restart_s": round(job_done - job_started, 2)}, open(out, "w"))
PY
      ;;
  esac
done

say "Writes, metrics, summary"
phases_with_writes=""
for phase in load restart; do [ -f "$RUN/writes-$phase.json" ] && phases_with_writes+=" $phase"; done
[ -n "$phases_with_writes" ] && { $PY bench/prod_check.py "$RUN" $phases_with_writes || echo "writes: SOME ACKNOWLEDGED WRITE IS MISSING"; }
curl -sS -H "Authorization: Bearer $STRATA_METRICS_TOKEN" http://127.0.0.1:8001/metrics >"$RUN/metrics.txt" || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RUN/machine.txt"
python3 bench/prod_report.py "$RUN" | tee "$RUN/summary.md"
