"""Users and tokens: the only data the gateway owns."""
from sqlalchemy import select

from apigateway.accounts import (
    Credentials, NewUser, TokenView, UserView, hash_password, issue_token, password_matches,
)
from apigateway.http import api
from apigateway.models import User
from svckit.auth import Caller
from svckit.errors import Conflict, Unauthorized
from svckit.schemas import load


class AccountRoutes:
    @api("POST", "/api/v1/auth/token", tag="auth", public=True, body=Credentials, answer=TokenView,
         summary="Exchange a username and password for a bearer token")
    def issue_token(self, body):
        credentials = load(Credentials, body)
        user = self.db.scalars(select(User).where(User.username == credentials["username"])).one_or_none()
        stored = user.password_hash if user else hash_password("timing-equaliser")
        if not (password_matches(credentials["password"], stored) and user and user.active):
            raise Unauthorized("Unknown username or wrong password.")
        ttl = int(self.config.get("TOKEN_TTL_SECONDS", 8 * 3600))
        token = issue_token(_caller(user), self.config["TOKEN_SECRET"], ttl)
        return TokenView().dump({"access_token": token, "token_type": "bearer", "expires_in": ttl, "user": user})

    @api("GET", "/api/v1/auth/me", tag="auth", summary="Who the bearer token belongs to")
    def who_am_i(self):
        return {"user_id": self.auth.user_id, "username": self.auth.username,
                "roles": sorted(self.auth.roles), "sites": sorted(self.auth.sites)}

    @api("POST", "/api/v1/users", tag="auth", body=NewUser, answer=UserView, status=201,
         summary="Create a user (admin only)")
    def create_user(self, body):
        self.auth.require_role("admin")
        data = load(NewUser, body)
        if self.db.scalars(select(User).where(User.username == data["username"])).one_or_none():
            raise Conflict(f"User {data['username']} already exists.", {"username": ["Already taken."]})
        user = self.db.add(User(username=data["username"], password_hash=hash_password(data["password"]),
                                roles=sorted(set(data["roles"])), sites=sorted(set(data["sites"])), active=True))
        self.db.commit()
        return UserView().dump(user)

    @api("GET", "/api/v1/users", tag="auth", answer=UserView, many=True, summary="List users (admin only)")
    def list_users(self):
        self.auth.require_role("admin")
        return UserView(many=True).dump(self.db.scalars(select(User).order_by(User.username)))


def _caller(user):
    return Caller(user_id=user.id, username=user.username, roles=frozenset(user.roles), sites=frozenset(user.sites))
