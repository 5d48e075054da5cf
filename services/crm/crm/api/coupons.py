"""Coupons (优惠券): issued to a customer or to any customer of a site, checked and redeemed on an invoice.

Reception checks a coupon against the bill (`check_coupon`), redeems it when the invoice is made
(`redeem_coupon`, idempotent per invoice) and releases it when that invoice is voided or rebuilt without it
(`release_coupon`). The row is locked while it is redeemed, so two invoices cannot both use one coupon.
"""
from decimal import Decimal

from nameko.rpc import rpc
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from contracts.crm import (
    CouponCheck, CouponDiscountView, CouponQuery, CouponRedemption, CouponRelease, CouponView, NewCoupon,
)
from crm.models import Coupon
from crm.rules.coupons import (
    ISSUED, PERCENT_OFF, REDEEMED, coupon_discount, coupon_problem, new_coupon_code, normalise_code, redeem_problem,
)
from svckit.db import utcnow
from svckit.errors import Conflict, InvalidInput, NotFound
from svckit.schemas import load

ISSUING_ROLES = ("service_advisor", "customer_care", "site_manager")
SETTLING_ROLES = ("service_advisor", "site_manager")


class CouponApi:
    @rpc
    def issue_coupon(self, payload):
        self.auth.require_role(*ISSUING_ROLES)
        data = load(NewCoupon, payload)
        self.auth.require_site(data["site_id"])
        if data["customer_id"] is not None:
            customer = self._customer(data["customer_id"])
            if customer.site_id != data["site_id"]:
                raise InvalidInput("customer_id: the customer belongs to another site.",
                                   {"customer_id": [f"Is a customer of {customer.site_id}, not {data['site_id']}."]})
        if data["kind"] == PERCENT_OFF and data["value"] > Decimal("100"):
            raise InvalidInput("value: a percentage off is at most 100.", {"value": ["At most 100 (percent)."]})
        valid_from = data["valid_from"] or utcnow()
        if data["valid_until"] <= valid_from:
            raise InvalidInput("valid_until: must be after valid_from.", {"valid_until": ["Must be after valid_from."]})
        code = normalise_code(data["code"]) if data["code"] else new_coupon_code()
        if self._coupon_by_code(code) is not None:
            raise _code_taken(code)
        coupon = self.db.add(Coupon(
            code=code, site_id=data["site_id"], customer_id=data["customer_id"], kind=data["kind"],
            value=data["value"], applies_to=data["applies_to"], minimum_spend=data["minimum_spend"],
            valid_from=valid_from, valid_until=data["valid_until"], description=data["description"], status=ISSUED,
            issued_by=self.auth.username, issued_at=utcnow()))
        try:
            self.db.commit()
        except IntegrityError:  # the same code issued concurrently
            self.db.rollback()
            raise _code_taken(code) from None
        return CouponView().dump(coupon)

    @rpc
    def list_coupons(self, payload):
        """A customer's coupons and the site's coupons for anyone (or a site's), newest first."""
        data = load(CouponQuery, payload)
        query = self.auth.restrict_to_sites(select(Coupon), Coupon.site_id, data["site_id"])
        if data["customer_id"] is not None:
            customer = self._customer(data["customer_id"])
            self.auth.require_site(customer.site_id)
            query = query.where(Coupon.site_id == customer.site_id, or_(
                Coupon.customer_id == customer.id, Coupon.customer_id.is_(None)))
        if data["status"] is not None:
            query = query.where(Coupon.status == data["status"])
        query = query.order_by(Coupon.issued_at.desc(), Coupon.code).limit(500)
        return CouponView(many=True).dump(self.db.scalars(query).all())

    @rpc
    def check_coupon(self, payload):
        """What the coupon takes off these amounts for this customer now; refused (400 naming `code`) if unusable."""
        self.auth.require_role(*SETTLING_ROLES)
        data = load(CouponCheck, payload)
        self.auth.require_site(data["site_id"])
        coupon = self._usable_coupon(data["code"], data["customer_id"], data["site_id"])
        if coupon.status == REDEEMED and coupon.redeemed_invoice_id != data["invoice_id"]:
            raise _unusable(coupon.code, f"Already used on invoice {coupon.redeemed_invoice_id}.")
        discount, problem = coupon_discount(coupon.kind, coupon.value, coupon.applies_to, coupon.minimum_spend,
                                            data["amounts"])
        if problem:
            raise _unusable(coupon.code, problem)
        return CouponDiscountView().dump({
            "code": coupon.code, "kind": coupon.kind, "value": coupon.value, "applies_to": coupon.applies_to,
            "description": coupon.description, "discount": discount})

    @rpc
    def redeem_coupon(self, payload):
        """Use the coupon on an invoice. Again for the same invoice: harmless; for another invoice: refused (409)."""
        self.auth.require_role(*SETTLING_ROLES)
        data = load(CouponRedemption, payload)
        self.auth.require_site(data["site_id"])
        coupon = self._usable_coupon(data["code"], data["customer_id"], data["site_id"], lock=True)
        problem = redeem_problem(coupon, data["invoice_id"])
        if problem:
            raise Conflict(f"Coupon {coupon.code}: {problem}", {"code": [problem]})
        if coupon.status != REDEEMED:
            coupon.status, coupon.redeemed_invoice_id, coupon.redeemed_at = REDEEMED, data["invoice_id"], utcnow()
        self.db.commit()
        return CouponView().dump(coupon)

    @rpc
    def release_coupon(self, payload):
        """The invoice that used the coupon was voided or rebuilt without it: it may be used again.

        Releasing a coupon the invoice does not hold changes nothing (a repeated release is harmless).
        """
        self.auth.require_role(*SETTLING_ROLES)
        data = load(CouponRelease, payload)
        coupon = self._coupon_by_code(normalise_code(data["code"]), lock=True)
        if coupon is None:
            raise NotFound(f"No coupon {data['code']}.", {"code": ["Unknown coupon."]})
        self.auth.require_site(coupon.site_id)
        if coupon.status == REDEEMED and coupon.redeemed_invoice_id == data["invoice_id"]:
            coupon.status, coupon.redeemed_invoice_id, coupon.redeemed_at = ISSUED, None, None
        self.db.commit()
        return CouponView().dump(coupon)

    # --- lookups ---

    def _coupon_by_code(self, code, lock=False):
        query = select(Coupon).where(Coupon.code == code)
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        return self.db.scalars(query).one_or_none()

    def _usable_coupon(self, code, customer_id, site_id, lock=False):
        coupon = self._coupon_by_code(normalise_code(code), lock=lock)
        if coupon is None:
            raise _unusable(code, "No such coupon.")
        problem = coupon_problem(coupon, customer_id, site_id, utcnow())
        if problem:
            raise _unusable(coupon.code, problem)
        return coupon


def _unusable(code, reason):
    return InvalidInput(f"Coupon {code}: {reason}", {"code": [reason]})


def _code_taken(code):
    return Conflict(f"A coupon with code {code} already exists.", {"code": ["Already issued."]})
