"""`manage.py import_data`: a dry run that lists what it would do, `--apply` to write."""

import pytest
from django.core.management import CommandError, call_command

from accounts_app.models import Account

pytestmark = pytest.mark.django_db

TEXT = (
    "Id,Name,Industry,Region,Annual revenue,Notes\n"
    "M1,Maple,Retail,Germany,12k,x\n"
    "M2,Birch,Energy,Japan,1.2M,y\n"
)


def command(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def csv_file(tmp_path):
    def write(text, name="accounts.csv"):
        path = tmp_path / name
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        return str(path)

    return write


def test_a_dry_run_lists_the_counts(csv_file, admin_user):
    output = command("accounts", csv_file(TEXT), "--user", "admin")

    assert output.splitlines() == [
        "accounts dry run: 2 rows — 2 to create, 0 to update, 0 unchanged, 0 bad",
        "ignored columns: Notes",
    ]
    assert not Account.objects.exists()


def test_apply_writes(csv_file, admin_user):
    output = command("accounts", csv_file(TEXT), "--user", "admin", "--apply")

    assert "accounts applied: 2 created, 0 updated, 0 unchanged" in output.splitlines()
    assert sorted(Account.objects.values_list("name", flat=True)) == ["Birch", "Maple"]
    again = command("accounts", csv_file(TEXT), "--user", "admin", "--apply")
    assert "accounts applied: 0 created, 0 updated, 2 unchanged" in again.splitlines()


def test_a_column_mapped_on_the_command_line(csv_file, admin_user):
    text = "Company,Sector,Where\nMaple,Retail,Germany\n"

    command(
        "accounts",
        csv_file(text),
        "--user",
        "admin",
        "--map",
        "Sector=industry",
        "--map",
        "Where=region",
        "--apply",
    )

    assert Account.objects.get().industry.name == "Retail"


def test_a_bad_file_is_a_command_error(csv_file, admin_user):
    with pytest.raises(CommandError, match="The file is empty."):
        command("accounts", csv_file(""), "--user", "admin", "--apply")
    with pytest.raises(CommandError, match="No column gives the industry"):
        command("accounts", csv_file("Name,Region\nA,Germany\n"), "--user", "admin")
    with pytest.raises(CommandError, match="No file"):
        command("accounts", "/nonexistent/file.csv", "--user", "admin")
    with pytest.raises(CommandError, match="No active user 'nobody'"):
        command("accounts", csv_file(TEXT), "--user", "nobody")
    assert not Account.objects.exists()


def test_a_bad_row_lists_it_and_writes_nothing(csv_file, admin_user, capsys):
    from io import StringIO

    out = StringIO()
    bad = TEXT.replace("Japan", "Atlantis")

    with pytest.raises(CommandError, match="Nothing was written"):
        call_command(
            "import_data", "accounts", csv_file(bad), "--user", "admin", "--apply", stdout=out
        )

    lines = out.getvalue().splitlines()
    assert lines[0] == "accounts dry run: 2 rows — 1 to create, 0 to update, 0 unchanged, 1 bad"
    assert lines[2].startswith("row 3, Region: “Atlantis” is not in your list of regions")
    assert not Account.objects.exists()
