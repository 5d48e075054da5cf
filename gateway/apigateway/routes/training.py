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
