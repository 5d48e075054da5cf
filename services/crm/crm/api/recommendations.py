"""Work the customer declined, kept on the vehicle to offer again (建议维修项目)."""
from nameko.rpc import rpc
from sqlalchemy import select

from contracts.crm import RecommendationQuery, RecommendationView
from contracts.workshop import WORK_DECLINED
from crm.models import Recommendation, Vehicle
from svckit.events import consumes
from svckit.schemas import load


class RecommendationApi:
    @consumes(WORK_DECLINED)
    def keep_declined_work_as_recommendations(self, event):
        declined = event.payload
        vehicle = self.db.get(Vehicle, declined["vehicle_id"])
        if vehicle is None:
            return  # a car crm does not know: nobody to remind
        known = set(self.db.scalars(select(Recommendation.repair_order_line_id).where(
            Recommendation.repair_order_line_id.in_([line["line_id"] for line in declined["lines"]]))))
        for line in declined["lines"]:
            if line["line_id"] not in known:  # the same line declined again in a later approval round
                self.db.add(Recommendation(
                    site_id=event.site_id, customer_id=vehicle.customer_id, vehicle_id=vehicle.id,
                    repair_order_id=declined["repair_order_id"], repair_order_line_id=line["line_id"],
                    kind=line["kind"], code=line["code"], description=line["description"], amount=line["amount"],
                    mileage_km=declined["mileage_km"], declined_at=declined["declined_at"], status="open"))

    @rpc
    def list_recommendations(self, payload):
        data = load(RecommendationQuery, payload)
        vehicle = self._vehicle(data["vehicle_id"])
        self.auth.require_site(vehicle.site_id)
        query = select(Recommendation).where(Recommendation.vehicle_id == vehicle.id)
        if data["status"] != "all":
            query = query.where(Recommendation.status == data["status"])
        query = query.order_by(Recommendation.declined_at.desc(), Recommendation.id)
        return RecommendationView(many=True).dump(self.db.scalars(query).all())
