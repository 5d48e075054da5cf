"""Facilities: the bays of each site and the equipment in them (manual ch. 9)."""
from nameko.rpc import rpc
from sqlalchemy import select

from contracts.workshop import BayQuery, BayView, NewBay
from svckit.db import columns
from svckit.errors import Conflict, NotFound
from svckit.schemas import load
from workshop.models import Bay


class FacilitiesApi:
    @rpc
    def create_bay(self, payload):
        self.auth.require_role("site_manager", "foreman")
        data = load(NewBay, payload)
        self.auth.require_site(data["site_id"])
        if self.db.scalars(select(Bay).where(Bay.site_id == data["site_id"], Bay.code == data["code"])).first():
            raise Conflict(f"Site {data['site_id']} already has a bay {data['code']}.", {"code": ["Already used."]})
        bay = self.db.add(Bay(**data))
        self.db.commit()
        return self._bay_view(bay)

    @rpc
    def list_bays(self, payload):
        query = load(BayQuery, payload)
        statement = self.auth.restrict_to_sites(select(Bay).order_by(Bay.site_id, Bay.code), Bay.site_id,
                                                query["site_id"])
        return [self._bay_view(bay) for bay in self.db.scalars(statement)]

    def bay_for_dispatch(self, site_id, bay_id):
        """The bay work at site_id may be given to now, or a Conflict naming why it may not."""
        bay = self.db.get(Bay, str(bay_id))
        if bay is None or bay.site_id != site_id:
            raise NotFound(f"No bay {bay_id} at site {site_id}.", {"bay_id": ["Unknown bay at this site."]})
        if not bay.active:
            raise Conflict(f"Bay {bay.code} is no longer in use.", {"bay_id": [f"Bay {bay.code} is not in use."]})
        return bay

    def _bay_view(self, bay):
        return BayView().dump(columns(bay))
