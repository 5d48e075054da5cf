"""Repair orders: the workshop service."""
from apigateway.http import api
from contracts import workshop as workshop_contract


class WorkshopRoutes:
    @api("GET", "/api/v1/repair-orders", tag="workshop", query=workshop_contract.RepairOrderQuery,
         answer=workshop_contract.RepairOrderView, many=True, summary="Repair orders")
    def list_repair_orders(self, query):
        return self.workshop.list_repair_orders(query)

    @api("GET", "/api/v1/repair-orders/<repair_order_id>", tag="workshop", answer=workshop_contract.RepairOrderView,
         summary="A repair order with its lines, totals and history")
    def get_repair_order(self, repair_order_id):
        return self.workshop.get_repair_order(repair_order_id)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/start", tag="workshop", body=workshop_contract.JobStart,
         answer=workshop_contract.RepairOrderView, summary="A technician starts the job")
    def start_job(self, repair_order_id, body):
        return self.workshop.start_job(repair_order_id, body)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/completion", tag="workshop",
         answer=workshop_contract.RepairOrderView, summary="The job is done: hand over to quality")
    def complete_job(self, repair_order_id):
        return self.workshop.complete_job(repair_order_id)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/hold", tag="workshop", body=workshop_contract.Reason,
         answer=workshop_contract.RepairOrderView, summary="Put the order on hold, with the reason")
    def put_on_hold(self, repair_order_id, body):
        return self.workshop.put_on_hold(repair_order_id, body)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/resume", tag="workshop",
         answer=workshop_contract.RepairOrderView, summary="Take the order off hold, back to where it was")
    def resume(self, repair_order_id):
        return self.workshop.resume(repair_order_id)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/cancel", tag="workshop", body=workshop_contract.Reason,
         answer=workshop_contract.RepairOrderView,
         summary="Cancel before completion, with the reason; its parts go back to stock")
    def cancel(self, repair_order_id, body):
        return self.workshop.cancel(repair_order_id, body)
