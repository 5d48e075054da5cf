"""Users, passwords and bearer tokens: plain functions, no framework.

Passwords are stored as scrypt hashes. A token is a JWT (HS256) carrying the user's
id, name, roles and sites, signed with the gateway's secret; it is checked without a
database read on every request and expires after TOKEN_TTL_SECONDS.
"""
import base64
import hashlib
import hmac
import json
import secrets
import time

from marshmallow import Schema, fields, validate

from contracts.fields import SITE_ID
from contracts.training import ROLES
from svckit.auth import ALL_SITES, Caller
from svckit.errors import Unauthorized

PLATFORM_ROLES = ["admin", *ROLES]
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


class Credentials(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=100))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class NewUser(Schema):
    username = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Za-z0-9_.@-]{3,100}$", error="3-100 letters, digits, '_', '.', '@' or '-'."))
    password = fields.String(required=True, validate=validate.Length(min=10, max=200,
                                                                     error="At least 10 characters."))
    roles = fields.List(fields.String(validate=validate.OneOf(PLATFORM_ROLES)), required=True,
                        validate=validate.Length(min=1))
    sites = fields.List(fields.String(validate=lambda s: s == ALL_SITES or SITE_ID(s)), required=True,
                        validate=validate.Length(min=1),
                        metadata={"description": 'Site ids the user works at; ["*"] for the whole group.'})


class UserView(Schema):
    user_id = fields.String(attribute="id")
    username = fields.String()
    roles = fields.List(fields.String())
    sites = fields.List(fields.String())
    active = fields.Boolean()
    created_at = fields.DateTime()


class TokenView(Schema):
    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()
    user = fields.Nested(UserView)


def hash_password(password):
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **SCRYPT)
    return f"scrypt${_b64(salt)}${_b64(digest)}"


def password_matches(password, stored):
    try:
        _, salt, digest = stored.split("$")
        candidate = hashlib.scrypt(password.encode(), salt=_unb64(salt), dklen=32, **SCRYPT)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate, _unb64(digest))


def issue_token(caller, secret, ttl_seconds, now=None):
    now = int(now if now is not None else time.time())
    claims = {"sub": caller.user_id, "name": caller.username, "roles": sorted(caller.roles),
              "sites": sorted(caller.sites), "iat": now, "exp": now + ttl_seconds}
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = _b64(json.dumps(claims, separators=(",", ":")).encode())
    return f"{header}.{body}.{_sign(f'{header}.{body}', secret)}"


def caller_from_token(token, secret, now=None):
    """The caller a bearer token stands for; Unauthorized when it is forged, malformed or expired."""
    try:
        header, body, signature = token.split(".")
    except (AttributeError, ValueError):
        raise Unauthorized("The bearer token is malformed.") from None
    if not hmac.compare_digest(signature, _sign(f"{header}.{body}", secret)):
        raise Unauthorized("The bearer token's signature is not valid.")
    claims = json.loads(_unb64(body))
    if claims["exp"] <= (now if now is not None else time.time()):
        raise Unauthorized("The bearer token has expired; ask for a new one at POST /api/v1/auth/token.")
    return Caller(user_id=claims["sub"], username=claims["name"], roles=frozenset(claims["roles"]),
                  sites=frozenset(claims["sites"]))


def generate_password():
    return secrets.token_urlsafe(15)


def _sign(message, secret):
    return _b64(hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest())


def _b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
