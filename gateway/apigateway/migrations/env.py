from apigateway.models import Base
from svckit.migrations import run_migrations

run_migrations(Base.metadata)
