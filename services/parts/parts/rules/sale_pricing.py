"""What a counter sale costs the customer, free of any database.

Prices are before VAT. Each figure of a line is rounded once, half up, to the cent:
  gross    = quantity x unit price
  net      = quantity x unit price x (1 - trade discount %) x (1 - line discount %)
             (the line discount applies to what the trade discount leaves)
  discount = gross - net          (a difference of rounded figures: no further rounding)
  vat      = net x VAT rate       (as a VAT invoice states it: the tax on the line's amount)
  total    = net + vat
The sale's figures are the sums of its lines' figures, so an invoice always adds up.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0.00")


def to_cent(amount):
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineAmounts:
    gross: Decimal
    discount: Decimal
    net: Decimal
    vat: Decimal
    total: Decimal

    def __add__(self, other):
        return LineAmounts(self.gross + other.gross, self.discount + other.discount, self.net + other.net,
                           self.vat + other.vat, self.total + other.total)


NOTHING = LineAmounts(ZERO, ZERO, ZERO, ZERO, ZERO)


def price_line(quantity, unit_price, trade_discount_percent, line_discount_percent, vat_rate):
    """The figures of one line; percentages as 0-100, the VAT rate as a fraction (0.13)."""
    for name, percent in (("trade_discount_percent", trade_discount_percent),
                          ("line_discount_percent", line_discount_percent)):
        if not ZERO <= percent <= HUNDRED:
            raise ValueError(f"{name} must be between 0 and 100, got {percent}")
    list_amount = quantity * unit_price
    kept = (1 - trade_discount_percent / HUNDRED) * (1 - line_discount_percent / HUNDRED)
    gross = to_cent(list_amount)
    net = to_cent(list_amount * kept)
    vat = to_cent(net * vat_rate)
    return LineAmounts(gross=gross, discount=gross - net, net=net, vat=vat, total=net + vat)


def sale_totals(lines):
    """The sale's figures: the sums of its lines' figures."""
    total = NOTHING
    for line in lines:
        total = total + line
    return total


def line_discount_problem(percent, limit):
    """Why a clerk may not give this line discount, or None."""
    if percent > limit:
        return f"At most {limit}% without a price change in the catalogue."
    return None
