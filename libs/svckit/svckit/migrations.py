"""Alembic migrations, one history per service, applied when the service starts.

Each service keeps its revisions in `<package>/migrations/versions` and an `env.py`
of two lines that calls `run_migrations(Base.metadata)`. `upgrade("parts:migrations", url)`
brings a database to head; on PostgreSQL it holds an advisory lock so replicas that
start together migrate once.
"""
import sys
import zlib

from alembic import command, context
from alembic.config import Config
from sqlalchemy import text

from svckit.db import UtcDateTime, create_engine_for, is_postgres


def alembic_config(script_location, url, engine=None):
    config = Config()
    config.set_main_option("script_location", script_location)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["engine"] = engine
    return config


def upgrade(script_location, url, engine=None, revision="heads"):
    engine = engine or create_engine_for(url)
    lock_key = zlib.crc32(script_location.encode())
    with engine.connect() as conn:
        if is_postgres(engine):
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": lock_key})
            conn.commit()
        elif engine.dialect.name == "sqlite":
            # SQLite changes a table by copying it; foreign keys would refuse to drop the original.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            config = alembic_config(script_location, url, engine)
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            conn.commit()
        finally:
            if is_postgres(engine):
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": lock_key})
                conn.commit()
            elif engine.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")


def run_migrations(target_metadata):
    """The body of every service's migrations/env.py."""
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection, target_metadata)
        return
    engine = config.attributes.get("engine") or create_engine_for(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        _run(conn, target_metadata)
        conn.commit()


def _run(connection, target_metadata):
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def _render_item(kind, item, autogen_context):
    """Revisions name plain SQLAlchemy types, so they never import svckit."""
    if kind == "type" and isinstance(item, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def main(argv=None):
    """Migrate or write a new revision without starting the service.

    python -m svckit.migrations upgrade parts:migrations <database-url>
    python -m svckit.migrations revision parts:migrations <database-url> "what changes"
        (autogenerates against a database at head; review the file before committing)
    """
    argv = argv if argv is not None else sys.argv[1:]
    if len(argv) == 3 and argv[0] == "upgrade":
        upgrade(argv[1], argv[2])
        return 0
    if len(argv) == 4 and argv[0] == "revision":
        upgrade(argv[1], argv[2])
        engine = create_engine_for(argv[2])
        with engine.connect() as conn:
            config = alembic_config(argv[1], argv[2], engine)
            config.attributes["connection"] = conn
            command.revision(config, message=argv[3], autogenerate=True)
        return 0
    print(main.__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
