"""Reception delivery and settlement: the bill, payments, the handover."""
from apigateway.http import api
from contracts import reception as reception_contract


class ReceptionSettlementRoutes:
    @api("POST", "/api/v1/visits/<visit_id>/delivery", tag="reception", body=reception_contract.Delivery,
         answer=reception_contract.VisitView, summary="Deliver the car to the customer")
    def deliver(self, visit_id, body):
        return self.reception.deliver(visit_id, body)
