"""Check-in and visits: the reception service."""
from apigateway.http import api
from contracts import reception as reception_contract


class ReceptionRoutes:
    @api("POST", "/api/v1/visits", tag="reception", body=reception_contract.CheckIn, answer=reception_contract.VisitView,
         status=201, summary="Check a vehicle in: a visit begins")
    def check_in(self, body):
        return self.reception.check_in(body)

    @api("GET", "/api/v1/visits", tag="reception", query=reception_contract.VisitQuery, answer=reception_contract.VisitView,
         many=True, summary="Visits")
    def list_visits(self, query):
        return self.reception.list_visits(query)

    @api("GET", "/api/v1/visits/<visit_id>", tag="reception", answer=reception_contract.VisitView, summary="A visit")
    def get_visit(self, visit_id):
        return self.reception.get_visit(visit_id)
