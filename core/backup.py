"""Backups of the whole database and their restore (DESIGN §11), SQLite and PostgreSQL
alike: SQLite through its online backup API (a consistent copy while Strata runs),
PostgreSQL through pg_dump's custom format and pg_restore. A backup is one file; a
restore replaces everything in the database with its content."""

import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """Why a backup or a restore cannot be made; nothing was changed."""


def _engine(alias: str) -> str:
    engine = connections[alias].settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"Backups know SQLite and PostgreSQL, not {engine}.")


def _sqlite_path(alias: str) -> str:
    """The file of the database Django is connected to (under the tests, the test one)."""
    connection = connections[alias]
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA database_list")
        return cursor.fetchone()[2]


def _pg_env(alias: str) -> tuple[list[str], dict]:
    params = connections[alias].settings_dict
    args = ["--dbname", params["NAME"]]
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is missing: install PostgreSQL's client tools "
            "(Debian/Ubuntu: apt-get install postgresql-client)."
        )
    return path


def default_path(alias: str = "default") -> Path:
    suffix = "sqlite3" if _engine(alias) == "sqlite" else "pgdump"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"strata-{stamp}.{suffix}"


def backup(path: Path | None = None, alias: str = "default") -> Path:
    """Write a backup of the whole database to `path` (a new file) and return it."""
    engine = _engine(alias)
    path = Path(path or default_path(alias))
    if path.exists():
        raise BackupError(f"{path} exists already: choose another file.")
    path.parent.mkdir(parents=True, exist_ok=True)
    if engine == "sqlite":
        source = sqlite3.connect(_sqlite_path(alias))
        target = sqlite3.connect(path)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        args, env = _pg_env(alias)
        done = subprocess.run(
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path), *args],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            path.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return path


def restore(path: Path, alias: str = "default") -> None:
    """Replace the whole database with the content of the backup at `path`."""
    engine = _engine(alias)
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    with path.open("rb") as file:
        head = file.read(16)
    if engine == "sqlite" and not head.startswith(SQLITE_MAGIC):
        raise BackupError(f"{path} is not a SQLite backup (this installation uses SQLite).")
    if engine == "postgresql" and not head.startswith(PG_MAGIC):
        raise BackupError(f"{path} is not a PostgreSQL backup (this installation uses PostgreSQL).")
    if engine == "sqlite":
        target_path = _sqlite_path(alias)
        connections[alias].close()
        source = sqlite3.connect(path)
        target = sqlite3.connect(target_path)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        connections[alias].close()
        args, env = _pg_env(alias)
        done = subprocess.run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(path),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed (nothing was changed): {done.stderr.strip()}")
