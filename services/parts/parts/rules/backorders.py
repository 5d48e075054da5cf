"""Who gets stock that arrives while demand waits: strictly in the order it was asked for."""


def backorders_to_fill(available, waiting):
    """The waiting demands (oldest first) that `available` covers, stopping at the first it cannot.

    Strict order, so a large early demand is not starved by smaller later ones.
    """
    filled = []
    for demand in sorted(waiting, key=lambda d: (d.requested_at, d.id)):
        if demand.quantity > available:
            break
        filled.append(demand)
        available -= demand.quantity
    return filled
