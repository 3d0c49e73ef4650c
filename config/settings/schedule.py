"""The periodic jobs the Celery beat sends: part of config.settings.base, which imports
this where its Celery block stands."""

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    # A minute tick a worker stamps in the database: /healthz and /metrics report it as
    # the last beat (core/tasks.py). Expires rather than piles up while workers are down.
    "beat-heartbeat": {
        "task": "core.tasks.beat_heartbeat",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    # Every account's snapshot (RPI, health, pipeline, ...), then the portfolio.
    "nightly-recompute": {
        "task": "insights.tasks.nightly_recompute",
        "schedule": crontab(hour=2, minute=15),
    },
    # The executive dashboard after the day's changes (each change refreshes its account).
    "evaluate-alert-rules": {
        "task": "insights.tasks.evaluate_alert_rules",
        "schedule": crontab(minute="*/15"),
    },
    "escalate-alerts": {
        "task": "insights.tasks.escalate_alerts",
        "schedule": crontab(minute="5-59/15"),
    },
    "alert-digests": {
        "task": "insights.tasks.send_alert_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "portfolio-aggregates": {
        "task": "insights.tasks.refresh_portfolio",
        "schedule": crontab(minute=30),
    },
    "prune-packs": {
        "task": "insights.tasks.prune_packs",
        "schedule": crontab(hour=4, minute=0),
    },
    # Only when STRATA_HISTORY_DAYS is set; else it removes nothing.
    "prune-history": {
        "task": "insights.tasks.prune_history",
        "schedule": crontab(hour=4, minute=20),
    },
    "open-renewals": {
        "task": "opportunities.tasks.open_renewals",
        "schedule": crontab(hour=2, minute=30),
    },
    "nightly-segmentation": {
        "task": "segmentation.tasks.scheduled_segmentation_run",
        "schedule": crontab(hour=3, minute=0),
    },
    # Before the snapshots, which read each plan's stored quality.
    "nightly-plan-quality": {
        "task": "plans.tasks.refresh_plan_quality",
        "schedule": crontab(hour=1, minute=45),
    },
}
