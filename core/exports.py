"""Lists as files (DESIGN §10): a table of columns over rows, written as CSV or XLSX.

Each app says what its list's columns are (`Column("Owner", lambda a: a.owner.name)`)
and hands the rows it already filtered and scoped; this module writes the file and the
download's response. It knows nothing of the apps.

- CSV is UTF-8 with a byte-order mark, so Excel reads accents right; XLSX is written by
  openpyxl in write-only (streaming) mode: twice as fast as tablib's path, and its
  memory does not grow with the rows (docs/decisions.md, "Exports (issue 16)").
- Text that a spreadsheet would run as a formula (it begins with `=`, `+`, `-`, `@`, a
  tab or a carriage return) is written with a leading `'` (OWASP's CSV injection
  advice). Numbers stay numbers: -2 is a number, "-2" typed into a name is text.
- Dates and times are ISO 8601 text (times in the site's time zone, with the offset);
  amounts are numbers; an empty value is an empty cell.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
DEFAULT_FORMAT = CSV
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The query parameter: DRF keeps `format` for its own renderers.
FORMAT_PARAM = "file_format"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class UnknownFormat(ValueError):
    """A `file_format` other than csv or xlsx."""

    def __init__(self, value: str):
        super().__init__(f"“{value}” is not a file format: choose one of {', '.join(FORMATS)}.")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[object], object]


def file_format_of(params) -> str:
    """The format a request's query parameters ask for (csv when they name none)."""
    value = (params.get(FORMAT_PARAM) or DEFAULT_FORMAT).strip().lower()
    if value not in FORMATS:
        raise UnknownFormat(params.get(FORMAT_PARAM))
    return value


def neutralise(value):
    """Text a spreadsheet would read as a formula, with a leading quote; anything else as
    it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell(value):
    """A value as a cell: numbers stay numbers, dates become ISO text, text is
    neutralised, nothing is None."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


def table_rows(columns: list[Column], objects: Iterable) -> Iterable[list]:
    for obj in objects:
        yield [cell(column.value(obj)) for column in columns]


def write_csv(columns: list[Column], objects: Iterable) -> bytes:
    out = io.BytesIO()
    # Encoded as it is written ("utf-8-sig" starts with the BOM): no second copy of the
    # file as a str, which takes up to four bytes a character.
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow([neutralise(c.header) for c in columns])
    for row in table_rows(columns, objects):
        writer.writerow(["" if v is None else v for v in row])
    text.flush()
    content = out.getvalue()
    text.detach()
    return content


def write_xlsx(columns: list[Column], objects: Iterable, *, title: str = "Export") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        heading = WriteOnlyCell(sheet, value=neutralise(column.header))
        heading.font = bold
        header.append(heading)
    sheet.append(header)
    for row in table_rows(columns, objects):
        # XML cannot hold most control characters (a pasted vertical tab in a note):
        # openpyxl refuses them, so they are dropped here.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_filename(name: str, file_format: str, *, today: date | None = None) -> str:
    """`strata-accounts-2026-12-07.xlsx`: what, when, which format."""
    today = today or timezone.localdate()
    return f"strata-{name}-{today.isoformat()}.{file_format}"


def attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def export_response(
    columns: list[Column], objects: Iterable, *, name: str, file_format: str
) -> HttpResponse:
    """The download of `objects` as `file_format` (csv or xlsx), named after `name`."""
    if file_format == XLSX:
        content = write_xlsx(columns, objects, title=name.capitalize())
    elif file_format == CSV:
        content = write_csv(columns, objects)
    else:
        raise UnknownFormat(file_format)
    return attachment(
        content,
        content_type=CONTENT_TYPES[file_format],
        filename=export_filename(name, file_format),
    )


def download(request, columns: list[Column], queryset, *, name: str) -> HttpResponse:
    """A page's Export link: `queryset` (what the page shows) in the `file_format` of the
    query string, or a 400 saying which formats there are."""
    try:
        file_format = file_format_of(request.GET)
    except UnknownFormat as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    return export_response(
        columns, queryset.iterator(chunk_size=2000), name=name, file_format=file_format
    )


def label(obj, field: str):
    """The label of a choice field (`get_<field>_display`), empty when unset."""
    return getattr(obj, f"get_{field}_display")() if getattr(obj, field) not in (None, "") else ""


def name_of(obj, attribute: str = "name"):
    """A related object's name, or nothing when there is none."""
    return getattr(obj, attribute) if obj is not None else None
