"""The customer's tracking link: the visit's status and quote, without logging in."""


class TrackingApi:
    def issue_tracking_link(self, visit):
        """Give the new visit its tracking link (called by check-in, same transaction)."""
