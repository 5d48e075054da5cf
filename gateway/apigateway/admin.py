"""`python -m apigateway.admin config.yaml`: make sure the platform has an administrator.

The username and password come from ADMIN_USERNAME / ADMIN_PASSWORD. Without
ADMIN_PASSWORD a password is generated on first use and kept in ADMIN_PASSWORD_FILE
(default var/admin-password, readable by its owner only), so the login printed at
start stays the same across restarts. Prints the login as `username password`.
"""
import os
import sys

from sqlalchemy import select
from sqlalchemy.orm import Session

from apigateway.accounts import generate_password, hash_password, password_matches
from apigateway.models import User
from svckit.auth import ALL_SITES
from svckit.config import load_config
from svckit.db import create_engine_for
from svckit.migrations import upgrade


def admin_password(password_file):
    if os.environ.get("ADMIN_PASSWORD"):
        return os.environ["ADMIN_PASSWORD"]
    if os.path.exists(password_file):
        with open(password_file) as handle:
            return handle.read().strip()
    password = generate_password()
    os.makedirs(os.path.dirname(os.path.abspath(password_file)), exist_ok=True)
    descriptor = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(password + "\n")
    return password


def ensure_admin(database_url, username, password):
    """Create the admin, or reset its password, roles and sites; returns True when it was created."""
    engine = create_engine_for(database_url)
    upgrade("apigateway:migrations", database_url, engine=engine)
    with Session(engine) as session:
        user = session.scalars(select(User).where(User.username == username)).one_or_none()
        created = user is None
        if created:
            user = User(username=username, password_hash=hash_password(password))
            session.add(user)
        elif not password_matches(password, user.password_hash):
            user.password_hash = hash_password(password)
        user.roles, user.sites, user.active = ["admin"], [ALL_SITES], True
        session.commit()
    engine.dispose()
    return created


def main(argv=None):
    argv = argv if argv is not None else sys.argv[1:]
    config = load_config(argv[0] if argv else "config.yaml")
    username = os.environ.get("ADMIN_USERNAME") or "admin"
    password = admin_password(os.environ.get("ADMIN_PASSWORD_FILE", "var/admin-password"))
    ensure_admin(config["DATABASE_URL"], username, password)
    print(f"{username} {password}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
