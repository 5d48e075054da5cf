#!/bin/sh
# Runs once, when the PostgreSQL container starts with an empty data directory:
# one database per service, each owned by a role of its own that can reach no other.
set -eu
for service in $SERVICE_DATABASES; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE "$service" LOGIN PASSWORD '$SERVICES_DB_PASSWORD';
CREATE DATABASE "$service" OWNER "$service";
REVOKE CONNECT ON DATABASE "$service" FROM PUBLIC;
SQL
done
