"""Check-in and visits: the reception service."""
from apigateway.http import api, file_response
from contracts import reception as reception_contract


class ReceptionRoutes:
    @api("POST", "/api/v1/visits", tag="reception", body=reception_contract.CheckIn,
         answer=reception_contract.CheckedInView, status=201,
         summary="Check a vehicle in: a visit begins (the car and its owner are found in crm or registered there)")
    def check_in(self, body):
        return self.reception.check_in(body)

    @api("GET", "/api/v1/visits", tag="reception", query=reception_contract.VisitQuery, answer=reception_contract.VisitView,
         many=True, summary="Visits")
    def list_visits(self, query):
        return self.reception.list_visits(query)

    @api("GET", "/api/v1/visits/<visit_id>", tag="reception", answer=reception_contract.VisitView, summary="A visit")
    def get_visit(self, visit_id):
        return self.reception.get_visit(visit_id)

    # --- the desk's check-in screen ---

    @api("GET", "/api/v1/desk/lookup", tag="reception", query=reception_contract.DeskLookup,
         answer=reception_contract.DeskLookupView,
         summary="What crm knows of a plate, VIN or phone number, with each car's open visit")
    def look_up_at_desk(self, query):
        return self.reception.look_up_at_desk(query)

    @api("GET", "/api/v1/promised-time", tag="reception", query=reception_contract.PromisedTimeQuery,
         answer=reception_contract.PromisedTimeSuggestion,
         summary="When a car can be promised back for so many hours of work, from the workshop's load")
    def suggest_promised_time(self, query):
        return self.reception.suggest_promised_time(query)

    @api("GET", "/api/v1/visits/<visit_id>/check-in", tag="reception", answer=reception_contract.CheckInDetailsView,
         summary="What was recorded at check-in: walk-around, photos, signature, mileage correction")
    def get_check_in(self, visit_id):
        return self.reception.get_check_in(visit_id)

    @api("PUT", "/api/v1/visits/<visit_id>/walk-around", tag="reception", body=reception_contract.WalkAround,
         answer=reception_contract.CheckInDetailsView,
         summary="Record the walk-around (damage marks, fuel, belongings, concerns) while the car is checked in")
    def record_walk_around(self, visit_id, body):
        return self.reception.record_walk_around(visit_id, body)

    @api("POST", "/api/v1/visits/<visit_id>/photos", tag="reception",
         upload=reception_contract.CHECK_IN_PHOTO_TYPES, answer=reception_contract.CheckInPhotoView, status=201,
         summary="Attach a walk-around photo (JPEG, PNG or WebP sent as the body)")
    def add_check_in_photo(self, visit_id, upload):
        return self.reception.add_check_in_photo(visit_id, upload)

    @api("GET", "/api/v1/visits/<visit_id>/photos/<photo_id>", tag="reception",
         produces=reception_contract.CHECK_IN_PHOTO_TYPES,
         summary="A walk-around photo itself, as image/jpeg, image/png or image/webp")
    def get_check_in_photo(self, visit_id, photo_id):
        return file_response(self.reception.get_check_in_photo(visit_id, photo_id), "private, max-age=60")

    @api("POST", "/api/v1/visits/<visit_id>/signature", tag="reception",
         upload=reception_contract.CHECK_IN_SIGNATURE_TYPES, answer=reception_contract.CheckInDetailsView,
         summary="The customer's signature of the walk-around (a PNG sent as the body)")
    def sign_check_in(self, visit_id, upload):
        return self.reception.sign_check_in(visit_id, upload)

    @api("POST", "/api/v1/visits/<visit_id>/signature/acknowledgement", tag="reception",
         body=reception_contract.Acknowledgement, answer=reception_contract.CheckInDetailsView,
         summary="The customer acknowledged the walk-around by typing their name instead of signing")
    def acknowledge_check_in(self, visit_id, body):
        return self.reception.acknowledge_check_in(visit_id, body)

    @api("GET", "/api/v1/visits/<visit_id>/job-card.pdf", tag="reception", produces=["application/pdf"],
         summary="The printable reception form / job card (接车单/派工单), application/pdf")
    def get_job_card(self, visit_id):
        document = self.reception.get_job_card(visit_id)
        return file_response(document, "private, max-age=60", named=True)
