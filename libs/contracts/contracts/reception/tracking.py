"""reception tracking link: the customer follows the visit and answers the quote without logging in."""

EVENTS = []
