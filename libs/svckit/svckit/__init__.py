"""Plumbing shared by every after-sales service.

One way to do each cross-cutting thing: database session and unit of work (`db`),
transactional outbox and its relay (`outbox`), event envelope and idempotent
consumers (`events`), caller identity (`auth`), error types (`errors`), input
validation (`schemas`), migrations (`migrations`), masked logging (`logs`).
Nothing here knows about cars, parts or customers.
"""
from svckit import consumers  # noqa: F401,E402  (nameko's consumers stop promptly)
