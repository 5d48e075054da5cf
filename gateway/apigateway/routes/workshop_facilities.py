"""Workshop facilities: bays and equipment, maintenance and capacity."""
from apigateway.http import api
from contracts import workshop as workshop_contract


class WorkshopFacilitiesRoutes:
    @api("POST", "/api/v1/workshop/bays", tag="workshop facilities", body=workshop_contract.NewBay,
         answer=workshop_contract.BayView, status=201, summary="Register a bay of a site's workshop")
    def create_bay(self, body):
        return self.workshop.create_bay(body)

    @api("GET", "/api/v1/workshop/bays", tag="workshop facilities", query=workshop_contract.BayQuery,
         answer=workshop_contract.BayView, many=True, summary="Bays of the sites you work at")
    def list_bays(self, query):
        return self.workshop.list_bays(query)
