"""Set-up shared by the benchmarks that write to PostgreSQL: point Django at a scratch database
on BENCH_PG_SERVER (default 127.0.0.1:5432) and drop and recreate it on each run."""

import os
import sys
from pathlib import Path

SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")


def configure(db_name: str, **env: str) -> None:
    """Call before importing Django: settings, database URL and quiet logs."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.dev"
    os.environ["DATABASE_URL"] = f"{SERVER}/{db_name}"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.update(env)


def recreate(db_name: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{db_name}"')
