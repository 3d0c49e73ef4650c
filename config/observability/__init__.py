"""What operators watch: Prometheus metrics, the broker and beat checks of /healthz,
JSON logs and Sentry (README, Operations; docs/decisions.md, Observability)."""
