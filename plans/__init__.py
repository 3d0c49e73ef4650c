def __getattr__(name: str):
    """django-simple-history names the history models of a models *package* after the app
    ("plans.HistoricalPlan") but defines them in the model's own module: resolve that name
    here, so the shell's imports and pickling find them."""
    if name.startswith("Historical"):
        from django.apps import apps

        try:
            return apps.get_model("plans", name)
        except LookupError:
            pass
    raise AttributeError(f"module 'plans' has no attribute {name!r}")
