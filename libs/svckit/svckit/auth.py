"""Who is calling: the caller identity that travels with every RPC call and event.

The gateway authenticates the HTTP request and puts the caller into nameko's context
data; nameko forwards context data with every RPC call a worker makes, so a service
sees the same caller however deep the call chain. A worker started by an event (or an
RPC call with no caller, i.e. from inside the platform) runs as the SYSTEM caller.
The broker is the trust boundary: only platform services can publish to it.
"""
from dataclasses import dataclass

from nameko.extensions import DependencyProvider

from svckit.errors import Forbidden

ALL_SITES = "*"

USER_ID = "auth_user_id"
USERNAME = "auth_username"
ROLES = "auth_roles"
SITES = "auth_sites"
CORRELATION_ID = "correlation_id"


@dataclass(frozen=True)
class Caller:
    user_id: str
    username: str
    roles: frozenset
    sites: frozenset  # site ids, or {"*"} for every site of the group

    @property
    def is_system(self):
        return self.user_id == SYSTEM.user_id

    @property
    def all_sites(self):
        return ALL_SITES in self.sites

    def can_access_site(self, site_id):
        return self.all_sites or site_id in self.sites

    def require_site(self, site_id):
        if not self.can_access_site(site_id):
            raise Forbidden(
                f"User {self.username} may not act on site {site_id}.",
                {"site_id": [f"Not one of your sites: {sorted(self.sites)}."]},
            )

    def restrict_to_sites(self, statement, site_column, site_id=None):
        """A query narrowed to `site_id` (which the caller must be allowed), else to all the caller's sites."""
        if site_id:
            self.require_site(site_id)
            return statement.where(site_column == site_id)
        if self.all_sites:
            return statement
        return statement.where(site_column.in_(sorted(self.sites)))

    def require_role(self, *roles):
        if "admin" in self.roles or self.is_system or self.roles.intersection(roles):
            return
        raise Forbidden(
            f"User {self.username} needs one of the roles {', '.join(roles)}.",
            {"roles": [f"Requires one of: {', '.join(roles)}."]},
        )

    def to_context_data(self):
        return {
            USER_ID: self.user_id,
            USERNAME: self.username,
            ROLES: ",".join(sorted(self.roles)),
            SITES: ",".join(sorted(self.sites)),
        }

    @classmethod
    def from_context_data(cls, data):
        if not data.get(USER_ID):
            return SYSTEM
        return cls(
            user_id=data[USER_ID],
            username=data.get(USERNAME, ""),
            roles=_split(data.get(ROLES)),
            sites=_split(data.get(SITES)),
        )


SYSTEM = Caller(user_id="system", username="system", roles=frozenset({"system"}), sites=frozenset({ALL_SITES}))


def _split(value):
    return frozenset(v for v in (value or "").split(",") if v)


class Auth(DependencyProvider):
    """Injects the `Caller` of the current worker."""

    def get_dependency(self, worker_ctx):
        return Caller.from_context_data(worker_ctx.data)
