"""Staff and credited work: the training service."""
from apigateway.http import api
from contracts import training as training_contract


class TrainingRoutes:
    @api("POST", "/api/v1/staff", tag="training", body=training_contract.NewStaff, answer=training_contract.StaffView, status=201,
         summary="Add a staff member")
    def create_staff(self, body):
        return self.training.create_staff(body)

    @api("GET", "/api/v1/staff", tag="training", query=training_contract.StaffQuery, answer=training_contract.StaffView, many=True,
         summary="Staff")
    def list_staff(self, query):
        return self.training.list_staff(query)

    @api("GET", "/api/v1/staff/<staff_id>", tag="training", answer=training_contract.StaffView, summary="A staff member")
    def get_staff(self, staff_id):
        return self.training.get_staff(staff_id)

    @api("GET", "/api/v1/staff/<staff_id>/job-credits", tag="training", answer=training_contract.JobCreditsView,
         summary="Labour hours credited to a technician")
    def list_job_credits(self, staff_id):
        return self.training.list_job_credits(staff_id)

    # --- certificates ---

    @api("POST", "/api/v1/staff/<staff_id>/certificates", tag="training",
         body=training_contract.NewCertificate, answer=training_contract.CertificateView, status=201,
         summary="Grant a certificate (上岗证/资质) for a skill, e.g. HV_EV (trainer or site manager)")
    def grant_certificate(self, staff_id, body):
        return self.training.grant_certificate(staff_id, body)

    @api("GET", "/api/v1/staff/<staff_id>/certificates", tag="training",
         answer=training_contract.CertificateView, many=True,
         summary="A staff member's certificates, each with its status today")
    def list_certificates(self, staff_id):
        return self.training.list_certificates(staff_id)

    @api("POST", "/api/v1/staff/<staff_id>/certificates/<certificate_id>/revoke", tag="training",
         body=training_contract.Revocation, answer=training_contract.CertificateView,
         summary="Revoke a certificate, with the reason: it no longer qualifies its holder")
    def revoke_certificate(self, staff_id, certificate_id, body):
        return self.training.revoke_certificate(staff_id, certificate_id, body)

    @api("GET", "/api/v1/staff/<staff_id>/qualifications", tag="training",
         query=training_contract.QualificationQuery, answer=training_contract.QualificationsView,
         summary="The skills a staff member is certified for on a day (today when on_day is omitted)")
    def qualifications(self, staff_id, query):
        return self.training.qualifications(staff_id, query)
