"""Final inspections: the quality service."""
from apigateway.http import api
from contracts import quality as quality_contract


class QualityRoutes:
    @api("GET", "/api/v1/inspections", tag="quality", query=quality_contract.InspectionQuery, answer=quality_contract.InspectionView,
         many=True, summary="Final inspections")
    def list_inspections(self, query):
        return self.quality.list_inspections(query)

    @api("GET", "/api/v1/inspections/<inspection_id>", tag="quality", answer=quality_contract.InspectionView,
         summary="A final inspection")
    def get_inspection(self, inspection_id):
        return self.quality.get_inspection(inspection_id)

    @api("POST", "/api/v1/inspections/<inspection_id>/result", tag="quality", body=quality_contract.InspectionResult,
         answer=quality_contract.InspectionView, summary="Record the inspection's checklist: pass, or back to rework")
    def record_inspection(self, inspection_id, body):
        return self.quality.record_inspection(inspection_id, body)
