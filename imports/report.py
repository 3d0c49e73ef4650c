"""The dry run's report as a file: the original rows with an "Errors" column, in the
format of the upload (XLSX stays XLSX), for fixing in the spreadsheet it came from."""

from collections import defaultdict

import tablib

from .reading import read_table


def errors_file(job) -> tuple[bytes, str, str]:
    """(content, file name, content type) of the uploaded file plus an error column."""
    content = bytes(job.content)
    table = read_table(content, job.file_name)
    by_row = defaultdict(list)
    for error in job.errors:
        label = f"{error['column']}: " if error.get("column") else ""
        by_row[error.get("row")].append(f"{label}{error['message']}")
    headers = [*table.headers, "Errors"]
    data = tablib.Dataset(headers=headers)
    for number, row in enumerate(table.rows, start=2):
        values = row if row is not None else ("",) * len(table.headers)
        data.append([*values, " | ".join(by_row.get(number, []))])
    stem = job.file_name.rsplit(".", 1)[0] or "import"
    if content[:4] == b"PK\x03\x04":
        return (
            data.export("xlsx"),
            f"{stem}-errors.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return ("\ufeff" + data.export("csv")).encode(), f"{stem}-errors.csv", "text/csv; charset=utf-8"
