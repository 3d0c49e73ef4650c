"""The import page and the `imports/` API: upload, mapping, dry run, report, apply,
errors file; who sees which import."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts_app.models import Account
from imports.models import ImportJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def jobs_run_at_once(monkeypatch):
    """The queued import runs at once (the test's transaction never commits)."""
    monkeypatch.setattr("imports.services.transaction.on_commit", lambda run, **kw: run())


GOOD = (
    "External id,Name,Industry,Region,Annual revenue\n"
    "X1,Initech,Technology,Western Europe,1.2M\n"
    "X2,Globex,Retail,EMEA-nowhere,12k\n"
)


def upload(client, text, kind="accounts", name="accounts.csv"):
    return client.post(
        reverse("imports:list"),
        {"kind": kind, "preset": "", "file": SimpleUploadedFile(name, text.encode())},
    )


def test_upload_map_dry_run_fix_and_apply_on_the_page(client_for, owner):
    client = client_for(owner)
    response = upload(client, GOOD)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    mapping_page = client.get(response["Location"])
    assert mapping_page.status_code == 200
    assert "Match the columns of accounts.csv" in mapping_page.text
    posted = {
        f"col_{i}": f
        for i, f in enumerate(["external_id", "name", "industry", "region", "annual_revenue"])
    }
    response = client.post(reverse("imports:detail", args=[job.pk]), posted)
    assert response.status_code == 302
    report = client.get(reverse("imports:detail", args=[job.pk]))
    assert "1 bad row" in report.text
    assert "EMEA-nowhere" in report.text
    assert not Account.objects.filter(external_id__in=["X1", "X2"]).exists()
    errors = client.get(reverse("imports:errors", args=[job.pk]))
    assert errors.status_code == 200
    assert "Errors" in errors.content.decode("utf-8-sig").splitlines()[0]

    response = upload(client, GOOD.replace("EMEA-nowhere", "Asia Pacific"))
    fixed = ImportJob.objects.latest("pk")
    # The mapping saved for the kind is offered again.
    client.post(reverse("imports:detail", args=[fixed.pk]), posted)
    fixed.refresh_from_db()
    assert fixed.applicable and fixed.created == 2
    response = client.post(reverse("imports:apply", args=[fixed.pk]))
    applied = ImportJob.objects.latest("pk")
    assert response["Location"] == reverse("imports:detail", args=[applied.pk])
    assert applied.status == "done" and applied.created == 2 and not applied.dry_run
    assert Account.objects.get(external_id="X1").annual_revenue == 1_200_000
    assert Account.objects.get(external_id="X2").owner == owner
    done = client.get(reverse("imports:detail", args=[applied.pk]))
    assert ">Initech</a>" in done.text and ">Globex</a>" in done.text
    listing = client.get(reverse("imports:list"))
    assert "accounts.csv" in listing.text and "Imported" in listing.text


def test_a_refused_mapping_keeps_the_choices(client_for, owner):
    client = client_for(owner)
    upload(client, GOOD)
    job = ImportJob.objects.get()
    response = client.post(
        reverse("imports:detail", args=[job.pk]), {"col_0": "external_id", "col_1": "name"}
    )
    assert response.status_code == 422
    assert "No column gives the industry" in response.text
    assert '<option value="external_id" selected>' in response.text


def test_a_bad_file_is_refused_on_the_page_with_a_message(client_for, owner):
    response = upload(client_for(owner), "", name="empty.csv")
    assert response.status_code == 422
    assert "empty" in response.text.lower()
    assert not ImportJob.objects.exists()


def test_executives_do_not_import(client_for, api_for, executive):
    assert client_for(executive).get(reverse("imports:list")).status_code == 403
    response = api_for(executive).post(
        "/api/v1/imports/",
        {"file": io.BytesIO(GOOD.encode()), "kind": "accounts"},
        format="multipart",
    )
    assert response.status_code == 403


def test_someone_elses_import_is_not_found(client_for, api_for, owner, teammate):
    upload(client_for(owner), GOOD)
    job = ImportJob.objects.get()
    assert client_for(teammate).get(reverse("imports:detail", args=[job.pk])).status_code == 404
    assert client_for(teammate).get(reverse("imports:errors", args=[job.pk])).status_code == 404
    assert api_for(teammate).get(f"/api/v1/imports/{job.pk}/").status_code == 404


def test_the_api_runs_a_dry_run_and_applies_only_a_clean_file(api_for, owner):
    client = api_for(owner)
    file = SimpleUploadedFile("a.csv", GOOD.encode())
    response = client.post(
        "/api/v1/imports/", {"file": file, "kind": "accounts"}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "done" and body["dry_run"] is True
    assert body["created"] == 1 and body["error_count"] == 1
    assert body["errors"][0]["row"] == 3 and body["errors"][0]["column"] == "Region"
    refused = client.post(f"/api/v1/imports/{body['id']}/apply/")
    assert refused.status_code == 400
    clean = SimpleUploadedFile("b.csv", GOOD.replace("EMEA-nowhere", "Asia Pacific").encode())
    response = client.post(
        "/api/v1/imports/",
        {"file": clean, "kind": "accounts", "dry_run": "false"},
        format="multipart",
    )
    assert response.status_code == 201
    assert response.json()["created"] == 2 and response.json()["status"] == "done"
    assert Account.objects.filter(external_id__in=["X1", "X2"]).count() == 2
    listed = client.get("/api/v1/imports/").json()
    assert listed["count"] == 2


def test_the_api_answers_a_bad_file_with_a_field_error(api_for, owner):
    response = api_for(owner).post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("x.csv", b"Name\n"), "kind": "accounts"},
        format="multipart",
    )
    assert response.status_code == 400
    assert "no data rows" in response.json()["file"][0]
    bad_kind = api_for(owner).post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("x.csv", GOOD.encode()), "kind": "planets"},
        format="multipart",
    )
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()


def test_the_page_names_each_kind_and_its_fields(client_for, owner):
    page = client_for(owner).get(reverse("imports:list"))
    assert "<dt>Team members</dt>" in page.text and "No import yet" in page.text
