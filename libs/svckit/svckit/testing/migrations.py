"""Check that a service's migrations build exactly the tables its models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from svckit.db import create_engine_for
from svckit.migrations import upgrade


def differences(script_location, metadata, database_url):
    """Upgrade an empty database to head and list what still differs from the models (empty = in step)."""
    engine = create_engine_for(database_url)
    try:
        upgrade(script_location, database_url, engine=engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()
