"""The import page: upload, match the columns, the dry run's report with its progress,
apply, and the history of imports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts_app.models import Account
from core.http import REFUSED, paginate, wants_fragment

from . import services
from .columns import SPECS
from .forms import MappingForm, UploadForm
from .models import ImportJob, Kind
from .reading import max_bytes, read_table
from .report import errors_file

SHOWN_ERRORS = 500


def _job(request, pk) -> ImportJob:
    job = services.visible_imports(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404("No such import.")
    return job


@login_required
def import_list_view(request):
    if not services.can_import(request.user):
        raise PermissionDenied("Imports are for admins, managers and account teams.")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > max_bytes():
            form.add_error("file", f"The file is larger than {max_bytes() // 2**20} MB: split it.")
        else:
            try:
                job = services.import_draft(
                    by=request.user,
                    kind=form.cleaned_data["kind"],
                    preset=form.cleaned_data["preset"],
                    file_name=upload.name,
                    content=upload.read(),
                )
            except ValidationError as exc:
                for field, problems in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                return redirect("imports:detail", job.pk)
    page = paginate(
        request, services.visible_imports(request.user).exclude(status=ImportJob.Status.DRAFT)
    )
    status = REFUSED if request.method == "POST" else 200
    return render(
        request,
        "imports/list.html",
        {
            "form": form,
            "page": page,
            "nav_active": "accounts",
            "kinds": [(kind.label, SPECS[kind]) for kind in Kind],
        },
        status=status,
    )


@login_required
def import_detail_view(request, pk):
    job = _job(request, pk)
    if job.status == ImportJob.Status.DRAFT:
        return _mapping(request, job)
    context = {
        "job": job,
        "shown_errors": job.errors[:SHOWN_ERRORS],
        "nav_active": "accounts",
        "written_accounts": _written_accounts(request.user, job),
    }
    if wants_fragment(request):
        return render(request, "imports/_status.html", context)
    context["upload"] = UploadForm(initial={"kind": job.kind, "preset": job.preset})
    return render(request, "imports/detail.html", context)


def _written_accounts(user, job, limit=20):
    """The accounts an applied accounts import created or changed (the first few), for
    the person to open them; only those they may see."""
    if job.dry_run or job.kind != "accounts" or not job.written:
        return []
    written = job.written.get("accounts", {})
    ids = [*written.get("created", []), *written.get("updated", [])][:limit]
    return list(Account.objects.visible_to(user).filter(pk__in=ids).only("id", "name"))


def _mapping(request, job):
    table = read_table(bytes(job.content), job.file_name)
    sample = next((r for r in table.rows if r), ())
    form = MappingForm(request.POST or None, job=job, headers=table.headers, sample=sample)
    problems = []
    if request.method == "POST" and form.is_valid():
        if job.created_by_id != request.user.pk:
            raise PermissionDenied("Only who uploaded the file starts its dry run.")
        try:
            services.import_queue(job=job, by=request.user, mapping=form.mapping())
        except ValidationError as exc:
            problems = exc.messages
        else:
            return redirect("imports:detail", job.pk)
    return render(
        request,
        "imports/mapping.html",
        {
            "job": job,
            "form": form,
            "problems": problems,
            "specs": SPECS[job.kind],
            "nav_active": "accounts",
        },
        status=REFUSED if problems else 200,
    )


@login_required
@require_POST
def import_apply_view(request, pk):
    job = _job(request, pk)
    try:
        applied = services.import_apply(job=job, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("imports:detail", job.pk)
    return redirect("imports:detail", applied.pk)


@login_required
def import_errors_view(request, pk):
    job = _job(request, pk)
    if not job.errors:
        raise Http404("This import has no bad rows.")
    content, name, content_type = errors_file(job)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def import_sample_view(request):
    """The sample accounts file of the README's quick start (docs/samples/accounts.csv)."""
    from django.conf import settings

    content = (settings.BASE_DIR / "docs" / "samples" / "accounts.csv").read_bytes()
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="strata-accounts-sample.csv"'
    return response
