"""A file of rows as the import reads it: CSV (UTF-8 with or without BOM, or Latin-1;
`,` `;` or tab) or XLSX (its first sheet). Everything wrong with the file as a whole is
a `FileProblem` with a message for the person who uploaded it."""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings


class FileProblem(Exception):
    """The file cannot be imported at all; the message says why and what to do."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple]  # one tuple per data row (spreadsheet row = index + 2)


def max_bytes() -> int:
    return settings.STRATA_IMPORT_MAX_MB * 1024 * 1024


def read_table(content: bytes, file_name: str = "") -> Table:
    if not content or not content.strip():
        raise FileProblem("The file is empty.")
    if len(content) > max_bytes():
        raise FileProblem(
            f"The file is larger than {settings.STRATA_IMPORT_MAX_MB} MB: split it into "
            "smaller files of the same kind."
        )
    if content[:4] == b"PK\x03\x04":
        table = _read_xlsx(content)
    elif content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileProblem(
            "This is an old Excel (.xls) file: save it as .xlsx or CSV and upload that."
        )
    else:
        table = _read_csv(content)
    return _checked(table)


def _text(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        # Not UTF-8: a Windows/Latin-1 export (Excel's "CSV" on many machines).
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError:
            return content.decode("latin-1")


def _read_csv(content: bytes) -> Table:
    if b"\x00" in content[:4096]:
        raise FileProblem("This is not a CSV or XLSX file.")
    text = _text(content)
    first = text.split("\n", 1)[0]
    if sum(1 for ch in first[:2000] if ch.isprintable() or ch in "\t\r") < len(first[:2000]) * 0.95:
        raise FileProblem("This is not a CSV or XLSX file.")
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader, None)
        rows = [tuple(row) for row in reader]
    except csv.Error as exc:
        raise FileProblem(f"The CSV file cannot be read: {exc}.") from exc
    if headers is None:
        raise FileProblem("The file is empty.")
    return Table(headers=headers, rows=rows)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem("This is not a CSV or XLSX file (the XLSX cannot be opened).") from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        headers = next(rows, None)
        if headers is None:
            raise FileProblem("The file is empty.")
        body = [tuple(_cell(v) for v in row) for row in rows]
    finally:
        book.close()
    return Table(headers=[_cell(h) for h in headers], rows=body)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _checked(table: Table) -> Table:
    headers = [str(h).strip() for h in table.headers]
    # Trailing unnamed columns (a spreadsheet's stray cells) are dropped.
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise FileProblem("The first row should name the columns; it is empty.")
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        if not header:
            raise FileProblem(
                f"Column {column_letter(index)} has no name in the first row: name it or "
                "delete the column."
            )
        key = header.casefold()
        if key in seen:
            raise FileProblem(
                f"The column “{header}” appears twice (columns {column_letter(seen[key])} and "
                f"{column_letter(index)}): keep one."
            )
        seen[key] = index
    width = len(headers)
    rows = []
    for row in table.rows:
        row = tuple(str(v).strip() for v in row[:width])
        if any(row):
            rows.append(row + ("",) * (width - len(row)))
        else:
            rows.append(None)  # a blank line: skipped, but it keeps the row numbers true
    while rows and rows[-1] is None:
        rows.pop()
    if not any(r is not None for r in rows):
        raise FileProblem("The file has a header row but no data rows.")
    return Table(headers=headers, rows=rows)
