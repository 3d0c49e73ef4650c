from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and benchmark data: the `seed_demo` and `seed_bench` commands, and the
    factory_boy factories of every app that the tests and the seeds share."""

    name = "demo"
    verbose_name = "Demo and benchmark data"
