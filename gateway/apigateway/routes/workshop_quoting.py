"""Workshop quoting: the operation catalogue, canned jobs, quote lines and the customer's approval."""
from apigateway.http import api
from contracts import workshop as c


class WorkshopQuotingRoutes:
    # --- the operation catalogue (labour time guide, group-wide) ---

    @api("POST", "/api/v1/workshop/operations", tag="workshop", body=c.NewOperation, answer=c.OperationView,
         status=201, summary="Add an operation to the labour time guide (generic, or for one vehicle model)")
    def create_operation(self, body):
        return self.workshop.create_operation(body)

    @api("GET", "/api/v1/workshop/operations", tag="workshop", query=c.OperationQuery, answer=c.OperationView,
         many=True, summary="Search the operation catalogue by code prefix, text or model")
    def list_operations(self, query):
        return self.workshop.list_operations(query)

    @api("GET", "/api/v1/workshop/operations/<operation_id>", tag="workshop", answer=c.OperationView,
         summary="An operation of the catalogue")
    def get_operation(self, operation_id):
        return self.workshop.get_operation(operation_id)

    @api("PATCH", "/api/v1/workshop/operations/<operation_id>", tag="workshop", body=c.OperationChanges,
         answer=c.OperationView, summary="Change an operation's hours, skill, description or active flag")
    def update_operation(self, operation_id, body):
        return self.workshop.update_operation(operation_id, body)

    # --- canned jobs (套餐) ---

    @api("POST", "/api/v1/workshop/canned-jobs", tag="workshop", body=c.NewCannedJob, answer=c.CannedJobView,
         status=201, summary="Define a canned job: a named bundle of operations and parts")
    def create_canned_job(self, body):
        return self.workshop.create_canned_job(body)

    @api("GET", "/api/v1/workshop/canned-jobs", tag="workshop", query=c.CannedJobQuery, answer=c.CannedJobView,
         many=True, summary="Canned jobs, for a model or all")
    def list_canned_jobs(self, query):
        return self.workshop.list_canned_jobs(query)

    @api("GET", "/api/v1/workshop/canned-jobs/<code>", tag="workshop", answer=c.CannedJobView,
         summary="A canned job with its operations and parts")
    def get_canned_job(self, code):
        return self.workshop.get_canned_job(code)

    # --- quote lines of a repair order ---

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/labour-lines", tag="workshop", body=c.LabourLineInput,
         answer=c.RepairOrderView, status=201,
         summary="Quote a labour line: an operation of the catalogue, or ad-hoc work with description and hours")
    def add_labour_line(self, repair_order_id, body):
        return self.workshop.add_labour_line(repair_order_id, body)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/part-lines", tag="workshop", body=c.PartLineInput,
         answer=c.RepairOrderView, status=201, summary="Quote a part line")
    def add_part_line(self, repair_order_id, body):
        return self.workshop.add_part_line(repair_order_id, body)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/sublet-lines", tag="workshop", body=c.SubletLineInput,
         answer=c.RepairOrderView, status=201, summary="Quote sublet work (外协) done by an outside vendor")
    def add_sublet_line(self, repair_order_id, body):
        return self.workshop.add_sublet_line(repair_order_id, body)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/canned-jobs", tag="workshop",
         body=c.CannedJobApplication, answer=c.RepairOrderView, status=201,
         summary="Quote every operation and part of a canned job")
    def add_canned_job(self, repair_order_id, body):
        return self.workshop.add_canned_job(repair_order_id, body)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/approval", tag="workshop", body=c.Approval,
         answer=c.RepairOrderView,
         summary="Record the customer's answer per line: approved parts are reserved, declined lines are kept as "
                 "recommendations and published (work_declined)")
    def approve(self, repair_order_id, body):
        return self.workshop.approve(repair_order_id, body)
