"""core.exports: cells, neutralising, the two file formats, the response."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.http import QueryDict

from core import exports
from core.exports import Column

COLUMNS = [Column("name", lambda r: r[0]), Column("amount", lambda r: r[1])]


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://evil.example","click")', "+1", "-2", "@x", "\tx", "\rx"]
)
def test_text_that_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert exports.cell(text) == "'" + text


@pytest.mark.parametrize("value", [Decimal("-2.50"), -2, -2.5, 0, True, None])
def test_numbers_booleans_and_nothing_stay_as_they_are(value):
    assert exports.cell(value) == value


def test_plain_text_is_left_alone():
    assert exports.cell("Acme – Zürich") == "Acme – Zürich"
    assert exports.cell("a=b") == "a=b"


def test_dates_and_times_are_iso_text(settings):
    settings.TIME_ZONE = "UTC"
    assert exports.cell(date(2026, 12, 7)) == "2026-12-07"
    assert exports.cell(datetime(2026, 12, 7, 9, 30, tzinfo=UTC)) == "2026-12-07T09:30:00+00:00"


def test_csv_is_utf8_with_a_bom_and_neutralised():
    content = exports.write_csv(COLUMNS, [("Zoë =1", Decimal("-3.5")), ("=SUM(A1)", None)])
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["name", "amount"], ["Zoë =1", "-3.5"], ["'=SUM(A1)", ""]]


def test_xlsx_keeps_numbers_numeric_and_text_neutralised():
    content = exports.write_xlsx(COLUMNS, [("-2", Decimal("-2")), ("@x", 7)], title="Things")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Things"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows == [("name", "amount"), ("'-2", -2), ("'@x", 7)]


def test_xlsx_drops_the_control_characters_xml_cannot_hold():
    content = exports.write_xlsx(COLUMNS, [("line\x0bbreak\x00", 1)])
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[1] == ("linebreak", 1)


def test_the_format_defaults_to_csv_and_reads_any_case():
    assert exports.file_format_of(QueryDict("")) == "csv"
    assert exports.file_format_of(QueryDict("file_format=XLSX")) == "xlsx"


def test_an_unknown_format_is_refused_with_the_choices():
    with pytest.raises(exports.UnknownFormat, match="csv, xlsx"):
        exports.file_format_of(QueryDict("file_format=pdf"))


def test_the_response_is_a_named_attachment(settings):
    response = exports.export_response(COLUMNS, [("a", 1)], name="accounts", file_format="xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="strata-accounts-')
    assert disposition.endswith('.xlsx"')


def test_the_filename_says_what_and_when():
    assert (
        exports.export_filename("accounts", "xlsx", today=date(2026, 12, 7))
        == "strata-accounts-2026-12-07.xlsx"
    )
