"""Reception tracking: the customer's link to the visit (public, the token is the credential) and the advisor's
route that issues it.

Answers carrying a token, or reached through one, are never cached and send no Referer onwards.
"""
from importlib.resources import files

from werkzeug.wrappers import Response

from apigateway.http import api, json_response
from contracts import reception as c

PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
TRACKING_PAGE = files("apigateway").joinpath("pages/track.html").read_text(encoding="utf-8")


class ReceptionTrackingRoutes:
    @api("GET", "/api/v1/visits/<visit_id>/tracking-link", tag="reception", answer=c.TrackingLinkView,
         summary="Issue a new customer tracking link for the visit and answer it (shown once; the previous link "
                 "of the visit stops working)")
    def reissue_tracking_link(self, visit_id):
        return json_response(self.reception.reissue_tracking_link(visit_id), headers=PRIVATE)

    @api("GET", "/track/<token>", tag="reception", public=True, produces=["text/html"],
         summary="The customer's page behind the tracking link (HTML): it reads the visit through /api/v1/track")
    def tracking_page(self, token):
        return Response(TRACKING_PAGE, mimetype="text/html", headers={
            **PRIVATE, "Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline'; "
                                                  "style-src 'unsafe-inline'"})

    @api("GET", "/api/v1/track/<token>", tag="reception", public=True, answer=c.TrackingView,
         summary="The customer's view of the visit through the tracking link: status, promised time and the quote "
                 "(no login)")
    def track_visit(self, token):
        return json_response(self.reception.track_visit(token), headers=PRIVATE)

    @api("POST", "/api/v1/track/<token>/approval", tag="reception", public=True, body=c.TrackingApproval,
         answer=c.TrackingView, summary="The customer approves and declines quoted lines through the tracking link "
                                        "(no login); the workshop records it with channel tracking_link")
    def answer_quote_by_tracking_link(self, token, body):
        return json_response(self.reception.answer_quote_by_tracking_link(token, body), headers=PRIVATE)
