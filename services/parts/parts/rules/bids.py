"""Comparing the bids of a request for quotation (the manual's tender, 招标): a documented weighted score.

Each bid gets three sub-scores out of 100, then a weighted total:

    price score     = lowest bid total / this bid's total * 100
    lead time score = shortest lead time / this bid's lead time * 100   (a bid of 0 days scores 100)
    rating score    = the supplier's rating from its scorecard, 0-100   (NEUTRAL_RATING without history)
    score           = 0.5 * price + 0.2 * lead time + 0.3 * rating, rounded to two places

The supplier's rating is the mean of its on-time delivery % and its inspection
acceptance % over the last RATING_PERIOD_DAYS days (see `supplier_rating`).
Bids are ranked by score, then lower total, then shorter lead time.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

WEIGHTS = {"price": Decimal("0.5"), "lead_time": Decimal("0.2"), "rating": Decimal("0.3")}
NEUTRAL_RATING = Decimal("50")
RATING_PERIOD_DAYS = 365
HUNDRED = Decimal("100")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Bid:
    supplier_id: str
    total: Decimal
    lead_time_days: int
    rating: Decimal | None  # None: the supplier has no deliveries to be rated on


@dataclass(frozen=True)
class ScoredBid:
    bid: Bid
    rating_used: Decimal
    price_score: Decimal
    lead_time_score: Decimal
    rating_score: Decimal
    score: Decimal
    rank: int


def score_bids(bids):
    """The bids scored and ranked, best first."""
    if not bids:
        return []
    lowest_total = min(b.total for b in bids)
    shortest_lead_time = min(b.lead_time_days for b in bids)
    scored = []
    for bid in bids:
        price = _round(lowest_total / bid.total * HUNDRED) if bid.total > 0 else HUNDRED
        lead_time = HUNDRED if bid.lead_time_days == 0 else _round(
            Decimal(shortest_lead_time) / Decimal(bid.lead_time_days) * HUNDRED)
        rating = NEUTRAL_RATING if bid.rating is None else bid.rating
        score = _round(WEIGHTS["price"] * price + WEIGHTS["lead_time"] * lead_time + WEIGHTS["rating"] * rating)
        scored.append((bid, rating, price, lead_time, _round(rating), score))
    scored.sort(key=lambda s: (-s[5], s[0].total, s[0].lead_time_days, s[0].supplier_id))
    return [ScoredBid(bid, used, price, lead_time, rating, score, rank)
            for rank, (bid, used, price, lead_time, rating, score) in enumerate(scored, start=1)]


def supplier_rating(on_time_pct, acceptance_pct):
    """A supplier's rating out of 100: the mean of the percentages it has; None when it has neither."""
    known = [p for p in (on_time_pct, acceptance_pct) if p is not None]
    return _round(sum(known, Decimal("0")) / len(known)) if known else None


def _round(value):
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
