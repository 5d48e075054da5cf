"""The customer's tracking link: the visit's status and quote, without logging in.

The link's routes are public, so their calls reach reception as the platform itself (the SYSTEM caller):
everything they read or change is found through the token, never through an id the customer sends.
Only the token's SHA-256 is stored, so an existing link cannot be shown again: check-in answers the first link,
and asking for the link later issues a new one (the previous one stops working). Those answers are the only places
a token appears: it is never logged, published or stored.
"""
import logging

from nameko.rpc import rpc
from sqlalchemy import select

from contracts.reception import TRACKING_LINK_ISSUED, TrackingApproval, TrackingLinkView, TrackingView
from reception.models import Visit
from reception.models.tracking import TrackingLink
from reception.rules import tracking as rules
from svckit.db import utcnow
from svckit.errors import Conflict
from svckit.schemas import load

log = logging.getLogger(__name__)

APPROVAL_CHANNEL = "tracking_link"


class TrackingApi:
    # --- the advisor ---

    def issue_tracking_link(self, visit):
        """Give the new visit its tracking link (called by check-in, same transaction).

        Returns the link (TrackingLinkView, dumped) for the check-in answer: the only time this token is shown.
        """
        return self._issue_link(visit, reissued=False)

    @rpc
    def reissue_tracking_link(self, visit_id):
        """A new link for the customer; the visit's previous link stops working. The answer holds the only copy."""
        self.auth.require_role("service_advisor")
        visit = self._visit(visit_id)
        self.auth.require_site(visit.site_id)
        if not self._link_is_valid(visit, utcnow()):
            raise Conflict(f"Visit {visit.id} was delivered more than {self._link_days()} days ago: "
                           "its tracking link has ended for good.",
                           {"visit_id": ["Delivered too long ago for a tracking link."]})
        view = self._issue_link(visit, reissued=True)
        self.db.commit()
        log.info("visit %s: new tracking link issued by %s", visit.id, self.auth.username)
        return view

    # --- the customer (public: the token is the only credential) ---

    @rpc
    def track_visit(self, token):
        """What the customer sees through the link: this visit's status and its quote."""
        visit = self._visit_by_token(token)
        order = self.workshop.get_repair_order(visit.repair_order_id) if visit.repair_order_id else None
        return self._tracking_view(visit, order)

    @rpc
    def answer_quote_by_tracking_link(self, token, payload):
        """The customer approves and declines quoted lines; the workshop records it as an advisor's approval would."""
        answer = load(TrackingApproval, payload)
        visit = self._visit_by_token(token)
        if not visit.repair_order_id:
            raise Conflict("There is no quote for this visit yet.", {"repair_order": ["Not opened yet."]})
        order = self.workshop.get_repair_order(visit.repair_order_id)
        approved, declined = rules.check_answer(order, answer["approved_line_ids"], answer["declined_line_ids"])
        order = self.workshop.approve(visit.repair_order_id, {
            "approved_line_ids": approved, "declined_line_ids": declined, "channel": APPROVAL_CHANNEL})
        log.info("visit %s: the customer answered the quote by the tracking link (%d approved, %d declined)",
                 visit.id, len(approved), len(declined))
        return self._tracking_view(visit, order)

    # --- helpers ---

    def _issue_link(self, visit, reissued):
        token, now = rules.new_token(), utcnow()
        link = self.db.get(TrackingLink, visit.id)
        if link is None:
            link = self.db.add(TrackingLink(visit_id=visit.id, token_sha256=rules.token_digest(token), issued_at=now,
                                            issued_by=self.auth.username, times_issued=1))
        else:
            link.token_sha256, link.issued_at, link.issued_by = rules.token_digest(token), now, self.auth.username
            link.times_issued += 1
        expires_at = rules.link_expires_at(visit.status, visit.delivered_at, self._link_days())
        self.db.emit(TRACKING_LINK_ISSUED, {
            "visit_id": visit.id, "customer_id": visit.customer_id, "issued_at": now.isoformat(),
            "expires_at": expires_at.isoformat() if expires_at else None, "reissued": reissued,
        }, site_id=visit.site_id)
        return TrackingLinkView().dump({
            "visit_id": visit.id, "url": rules.tracking_url(self.config.get("TRACKING_BASE_URL"), token),
            "issued_at": now, "expires_at": expires_at})

    def _visit_by_token(self, token):
        """The visit whose live link `token` is; unknown, malformed and expired tokens all get the same 404."""
        if not rules.looks_like_token(token):
            raise rules.no_such_link()
        visit = self.db.scalars(select(Visit).join(TrackingLink, TrackingLink.visit_id == Visit.id)
                                .where(TrackingLink.token_sha256 == rules.token_digest(token))).one_or_none()
        if visit is None or not self._link_is_valid(visit, utcnow()):
            raise rules.no_such_link()
        return visit

    def _tracking_view(self, visit, order):
        return TrackingView().dump({
            "plate": visit.plate, "status": visit.status,
            "status_text": rules.VISIT_STATUS_TEXT.get(visit.status, visit.status),
            "checked_in_at": visit.checked_in_at, "promised_at": visit.promised_at,
            "delivered_at": visit.delivered_at, "currency": visit.currency,
            "expires_at": rules.link_expires_at(visit.status, visit.delivered_at, self._link_days()),
            "repair_order": rules.tracked_repair_order(order) if order else None,
        })

    def _link_is_valid(self, visit, now):
        return rules.link_is_valid(visit.status, visit.delivered_at, self._link_days(), now)

    def _link_days(self):
        return int(self.config.get("TRACKING_LINK_DAYS", rules.DEFAULT_LINK_DAYS))
