"""Reading an export back, as a spreadsheet or a script would: the rows of a CSV or XLSX
download as dicts by header, and the Export links of a page."""

import csv
import html
import io
import re

import openpyxl


def rows(response) -> list[dict]:
    """The rows of a CSV or XLSX download (checked to be an attachment), by header."""
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Disposition"].startswith('attachment; filename="strata-')
    if response["Content-Type"].startswith("text/csv"):
        assert response.content.startswith(b"\xef\xbb\xbf"), "CSV without its BOM"
        return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    header = values[0]
    return [dict(zip(header, row, strict=True)) for row in values[1:]]


def export_links(response) -> dict[str, str]:
    """The page's Export links by format ({"csv": url, "xlsx": url}), unescaped."""
    found = re.findall(r'href="([^"]*file_format=(csv|xlsx)[^"]*)"', response.content.decode())
    return {file_format: html.unescape(url) for url, file_format in found}
