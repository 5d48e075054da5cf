"""The rules of coupons (优惠券), free of any database: when one may be used and what it takes off.

A coupon takes an amount off (never more than the work it applies to) or a percentage off, of labour only,
parts only, or everything the customer pays; it needs a minimum spend on that work, is valid from/to, is
used once, and is for one customer or for any customer of its site. The discount is rounded half-up to the
cent once.
"""
import secrets
from decimal import ROUND_HALF_UP, Decimal

AMOUNT_OFF, PERCENT_OFF = "amount_off", "percent_off"
KINDS = (AMOUNT_OFF, PERCENT_OFF)
SCOPES = ("labour", "parts", "all")
ISSUED, REDEEMED = "issued", "redeemed"

CENT = Decimal("0.01")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread at the desk


def new_coupon_code(length=10):
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(code):
    return code.strip().upper()


def base_amount(applies_to, amounts):
    """What the coupon applies to, from the customer-pay amounts {labour, parts, sublet}."""
    labour, parts, sublet = (Decimal(str(amounts.get(key, "0"))) for key in ("labour", "parts", "sublet"))
    return {"labour": labour, "parts": parts, "all": labour + parts + sublet}[applies_to]


def coupon_problem(coupon, customer_id, site_id, at):
    """Why `coupon` may not be used by `customer_id` at `site_id` at `at`, or None."""
    if coupon.site_id != site_id:
        return f"Was issued by site {coupon.site_id}, not usable at {site_id}."
    if coupon.customer_id is not None and coupon.customer_id != customer_id:
        return "Was issued to another customer."
    if at < coupon.valid_from:
        return f"Not valid before {coupon.valid_from.isoformat()}."
    if at > coupon.valid_until:
        return f"Expired on {coupon.valid_until.isoformat()}."
    return None


def coupon_discount(kind, value, applies_to, minimum_spend, amounts):
    """(discount, problem): what the coupon takes off these amounts, or why it does not apply."""
    base = base_amount(applies_to, amounts)
    if base <= 0:
        return Decimal("0.00"), f"There is nothing of {applies_to} the customer pays for to discount."
    if base < minimum_spend:
        return Decimal("0.00"), f"Needs a spend of {minimum_spend} on {applies_to}; this bill has {base}."
    if kind == AMOUNT_OFF:
        discount = min(Decimal(value), base)
    else:
        discount = base * Decimal(value) / 100
    return discount.quantize(CENT, rounding=ROUND_HALF_UP), None


def redeem_problem(coupon, invoice_id):
    """A coupon is used once: redeeming it again for the same invoice is harmless, for another refused."""
    if coupon.status == REDEEMED and coupon.redeemed_invoice_id != invoice_id:
        return f"Already used on invoice {coupon.redeemed_invoice_id}."
    return None
