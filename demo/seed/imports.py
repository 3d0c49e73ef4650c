"""An import in the demo's history: the admin's dry run of the README's sample file
(docs/samples/accounts.csv), clean and ready to apply, so a visitor sees the report and
can press Import."""

from django.conf import settings

from imports import engine, services
from imports.models import ImportJob

SAMPLE = "accounts.csv"


def seed_demo_import(*, admin) -> int:
    if ImportJob.objects.filter(created_by=admin, file_name=SAMPLE).exists():
        return 0
    content = (settings.BASE_DIR / "docs" / "samples" / SAMPLE).read_bytes()
    job = services.import_start(
        by=admin, kind="accounts", file_name=SAMPLE, content=content, queue=False
    )
    engine.run(job.pk)
    return 1
