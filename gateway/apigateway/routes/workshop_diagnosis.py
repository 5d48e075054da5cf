"""Workshop diagnosis: findings per concern, trouble codes, photos, and the quote presented."""
from apigateway.http import api, file_response
from contracts import workshop as c


class WorkshopDiagnosisRoutes:
    @api("POST", "/api/v1/repair-orders/<repair_order_id>/diagnosis", tag="workshop", body=c.DiagnosisStart,
         answer=c.RepairOrderView, summary="A technician starts diagnosing the car (opened -> diagnosing)")
    def start_diagnosis(self, repair_order_id, body):
        return self.workshop.start_diagnosis(repair_order_id, body)

    @api("GET", "/api/v1/repair-orders/<repair_order_id>/diagnosis", tag="workshop", answer=c.DiagnosisView,
         summary="The diagnosis: who diagnosed when, and the findings with codes and photos")
    def get_diagnosis(self, repair_order_id):
        return self.workshop.get_diagnosis(repair_order_id)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/diagnosis/completion", tag="workshop",
         answer=c.RepairOrderView, summary="The diagnosis is done: the quote is presented (awaiting approval)")
    def finish_diagnosis(self, repair_order_id):
        return self.workshop.finish_diagnosis(repair_order_id)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/findings", tag="workshop", body=c.NewFinding,
         answer=c.FindingView, status=201,
         summary="Write a finding for a concern, with the trouble codes read and the equipment that read them")
    def add_finding(self, repair_order_id, body):
        return self.workshop.add_finding(repair_order_id, body)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/findings/<finding_id>/photos", tag="workshop",
         upload=c.PHOTO_CONTENT_TYPES, answer=c.PhotoView, status=201,
         summary="Attach a photo (JPEG, PNG or WebP sent as the body) to a finding")
    def add_finding_photo(self, repair_order_id, finding_id, upload):
        return self.workshop.add_finding_photo(repair_order_id, finding_id, upload)

    @api("GET", "/api/v1/repair-orders/<repair_order_id>/findings/<finding_id>/photos/<photo_id>", tag="workshop",
         produces=c.PHOTO_CONTENT_TYPES,
         summary="The photo itself, as image/jpeg, image/png or image/webp")
    def get_finding_photo(self, repair_order_id, finding_id, photo_id):
        photo = self.workshop.get_finding_photo(repair_order_id, finding_id, photo_id)
        return file_response(photo, "private, max-age=3600")
