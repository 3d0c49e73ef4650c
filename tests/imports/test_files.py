"""The file as a whole: what cannot be imported says why and writes nothing (nothing is
even queued); what can be read is read whatever Excel or a CRM made of it."""

import io
import time
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from openpyxl import Workbook

from accounts_app.models import Account, RevenueEntry
from imports import engine
from imports.columns import guess_mapping
from imports.models import ImportJob
from imports.reading import FileProblem, read_table

from .helpers import counts, problems

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
)
NOISE = bytes((i * 37 + 11) % 255 + 1 for i in range(3000))  # binary, without a NUL byte
XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def file_error(run_import, user, content, kind="accounts", **kwargs) -> str:
    with pytest.raises(ValidationError) as refused:
        run_import(user, kind, content, **kwargs)
    return " ".join(refused.value.message_dict["file"])


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "The file is empty."),
        (b"  \r\n\n", "The file is empty."),
        (b"Name,Industry,Region\n", "The file has a header row but no data rows."),
        (b"Name,Industry,Region\n,,\n\n", "The file has a header row but no data rows."),
        (PNG, "This is not a CSV or XLSX file."),
        (NOISE, "This is not a CSV or XLSX file."),
        (
            b"PK\x03\x04 not really a workbook",
            "This is not a CSV or XLSX file (the XLSX cannot be opened).",
        ),
        (
            XLS,
            "This is an old Excel (.xls) file: save it as .xlsx or CSV and upload that.",
        ),
        (
            b"Name,Industry,name\nA,Retail,B\n",
            "The column “name” appears twice (columns A and C): keep one.",
        ),
        (
            b"Name,,Region\nA,Retail,Germany\n",
            "Column B has no name in the first row: name it or delete the column.",
        ),
        (b"\n\nName\n", "The first row should name the columns; it is empty."),
    ],
)
def test_a_file_that_cannot_be_imported(run_import, admin_user, content, message):
    assert file_error(run_import, admin_user, content) == message
    assert not ImportJob.objects.exists()
    assert not Account.objects.exists()


@override_settings(STRATA_IMPORT_MAX_MB=1)
def test_a_file_over_the_size_limit(run_import, admin_user):
    row = "Acme,Retail,Germany," + "x" * 80 + "\n"
    content = ("Name,Industry,Region,Description\n" + row * 12_000).encode()
    assert 1.05 * 2**20 < len(content) < 1.2 * 2**20

    assert file_error(run_import, admin_user, content) == "The file is larger than 1 MB."
    assert not ImportJob.objects.exists()
    with pytest.raises(FileProblem, match="larger than 1 MB: split it"):
        read_table(content)


def test_a_job_whose_file_cannot_be_read_ends_with_a_message(admin_user):
    """The worker reads the file again: a problem there ends the job with its message."""
    job = ImportJob.objects.create(
        kind="accounts", file_name="x.png", content=PNG, created_by=admin_user
    )

    job = engine.run(job.pk)

    assert job.status == ImportJob.Status.FAILED
    assert job.message == "This is not a CSV or XLSX file."
    assert not job.applicable


def test_a_required_column_missing(run_import, admin_user):
    with pytest.raises(ValidationError) as refused:
        run_import(admin_user, "accounts", "Name,Region\nAcme,Germany\n")

    assert refused.value.message_dict == {
        "mapping": ["No column gives the industry (a required field)."]
    }
    assert not ImportJob.objects.exists()


def test_contacts_need_a_name_column(run_import, admin_user):
    with pytest.raises(ValidationError) as refused:
        run_import(admin_user, "contacts", "Account,Title\nAcme,CTO\n")

    assert refused.value.message_dict == {
        "mapping": ["No column gives the contact's name (Name, or First name and Last name)."]
    }


def test_a_mapping_to_a_missing_column_or_unknown_field(run_import, admin_user):
    text = "Name,Industry,Region\nAcme,Retail,Germany\n"
    with pytest.raises(ValidationError) as refused:
        run_import(admin_user, "accounts", text, mapping={"Sector": "industry", "Name": "size"})

    assert refused.value.message_dict["mapping"] == [
        "The mapping names a column the file does not have: “Sector”.",
        "“size” is not a field of a accounts import.",
        "No column gives the name (a required field).",
        # The file's Industry column is not guessed for the field the mapping gave away.
        "No column gives the industry (a required field).",
    ]


def test_unknown_columns_are_ignored_and_listed(run_import, admin_user):
    text = "Name,Shoe size,Industry,Region,Favourite colour\nAcme,44,Retail,Germany,blue\n"

    job = run_import(admin_user, "accounts", text, apply=True)

    assert counts(job) == (1, 0, 0)
    assert job.ignored_columns == ["Shoe size", "Favourite colour"]
    assert job.mapping == {"Name": "name", "Industry": "industry", "Region": "region"}


def test_utf8_with_a_byte_order_mark(run_import, admin_user):
    content = "\ufeffName,Industry,Region\nÖlwerke Süd,Energy,Österreich\n".encode()
    content = content.replace("Österreich".encode(), b"Austria")

    job = run_import(admin_user, "accounts", content, apply=True)

    assert counts(job) == (1, 0, 0), (job.errors, job.mapping)
    assert job.mapping["Name"] == "name"
    assert Account.objects.get().name == "Ölwerke Süd"


def test_latin1_from_excel(run_import, admin_user):
    content = (
        "Name;Industry;Region;Description\n"
        "Société Générale;Financial services;France;Crédit – 2 €\n"
    )

    job = run_import(admin_user, "accounts", content.encode("cp1252"), apply=True)

    assert counts(job) == (1, 0, 0), job.errors
    account = Account.objects.get()
    assert account.name == "Société Générale"
    assert account.description == "Crédit – 2 €"


def test_semicolons_and_tabs(run_import, admin_user):
    semicolons = 'Name;Industry;Region;Annual revenue\nAcme;Retail;Germany;"3,5"\n'
    tabs = "Name\tIndustry\tRegion\nBeta, Inc.\tRetail\tGermany\n"

    run_import(admin_user, "accounts", semicolons, apply=True)
    run_import(admin_user, "accounts", tabs, apply=True)

    assert Account.objects.get(name="Acme").annual_revenue == Decimal("3.50")
    assert Account.objects.filter(name="Beta, Inc.").exists()


def test_xlsx(run_import, owner, account):
    book = Workbook()
    sheet = book.active
    sheet.append(["Account", "Month", "Amount", None])
    sheet.append(["Acme Industrial", datetime(2026, 3, 1), 12000, None])
    sheet.append([None, None, None, None])
    sheet.append(["Acme Industrial", "2026-04", 1250.5, None])
    book.create_sheet("Notes").append(["not read"])
    buffer = io.BytesIO()
    book.save(buffer)

    job = run_import(owner, "revenue", buffer.getvalue(), name="revenue.xlsx", apply=True)

    assert counts(job) == (2, 0, 0), job.errors
    assert list(RevenueEntry.objects.order_by("month").values_list("month", "amount")) == [
        (datetime(2026, 3, 1).date(), Decimal("12000.00")),
        (datetime(2026, 4, 1).date(), Decimal("1250.50")),
    ]


def test_blank_lines_keep_the_row_numbers(run_import, admin_user):
    text = "Name,Industry,Region\nAcme,Retail,Germany\n\n,,\nBeta,Retail,Mars\n\n\n"

    job = run_import(admin_user, "accounts", text)

    assert job.total_rows == 2
    assert [(row, column) for row, column, _ in problems(job)] == [(5, "Region")]


def test_200000_rows_are_read(db):
    """The reading and mapping of a file of 200,000 rows (the benchmark runs the rest)."""
    lines = ["Account id,Month,Amount"]
    lines += [
        f"ACC-{n // 24:05d},{2020 + n % 24 // 12}-{n % 12 + 1:02d},{n % 9000}.50"
        for n in range(200_000)
    ]
    content = ("\n".join(lines) + "\n").encode()
    started = time.perf_counter()

    table = read_table(content, "revenue.csv")
    mapping = guess_mapping(table.headers, "revenue")

    assert time.perf_counter() - started < 10
    assert len(table.rows) == 200_000
    assert table.rows[-1] == ("ACC-08333", "2020-08", "1999.50")
    assert mapping == {"Account id": "account", "Month": "month", "Amount": "amount"}
