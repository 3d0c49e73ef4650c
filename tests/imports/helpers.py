"""Reading an import report in assertions."""


def problems(job) -> list[tuple]:
    """The bad rows of a report: [(row, column, message)], in row order."""
    return [(e["row"], e["column"], e["message"]) for e in job.errors]


def counts(job) -> tuple[int, int, int]:
    return job.created, job.updated, job.unchanged
