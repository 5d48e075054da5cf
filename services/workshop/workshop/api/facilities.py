"""Facilities: the bays of each site, the equipment in them, its upkeep, and the capacity they give (manual ch. 9)."""
import base64
from datetime import datetime, time, timedelta
from decimal import Decimal

from nameko.rpc import rpc
from nameko.timer import timer
from sqlalchemy import or_, select

from contracts.workshop import (
    EQUIPMENT_BACK_IN_SERVICE, EQUIPMENT_CALIBRATION_DUE, EQUIPMENT_MAINTENANCE_DUE, EQUIPMENT_OUT_OF_SERVICE,
    AvailabilityQuery, AvailabilityView, BayQuery, BayView, CalibrationRecord, CalibrationView, CapacityQuery,
    CapacityView, EquipmentFileContent, EquipmentFileUpload, EquipmentFileView, EquipmentQuery, EquipmentView,
    FaultReport, FaultView, MaintenanceDone, MaintenancePlanInput, MaintenanceView, MaintenanceWindowInput,
    MaintenanceWindowView, NewBay, NewEquipment, RepairRecord, SiteRef, SiteSettingsInput, SiteSettingsView,
)
from svckit.db import columns, utcnow
from svckit.errors import Conflict, InvalidInput, NotFound
from svckit.schemas import load
from svckit.uploads import accepted_upload
from workshop.models import Bay, RepairOrder
from workshop.models.facilities import (
    Calibration, Equipment, EquipmentFault, EquipmentFile, MaintenancePlan, MaintenanceRecord, MaintenanceWindow,
    SiteSettings,
)
from workshop.rules import facilities as rules
from workshop.rules import repair_order as ro

DEFAULT_HOURS_PER_DAY = "8"
DEFAULT_DUE_ALERT_DAYS = 3
DEFAULT_FILE_MAX_BYTES = 10 * 2**20
DEFAULT_OPENING_HOUR, DEFAULT_CLOSING_HOUR = 8, 18
DUE_CHECK_SECONDS = 3600  # at least daily, and soon after a restart; each alert is raised once per due date

MANAGERS = ("site_manager", "foreman")
FLOOR = ("site_manager", "foreman", "technician")


class FacilitiesApi:
    # --- bays ---

    @rpc
    def create_bay(self, payload):
        self.auth.require_role(*MANAGERS)
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

    @rpc
    def get_bay_availability(self, bay_id, payload):
        """Whether the bay is in service at a moment (default now) or on a day, and if not why."""
        bay = self._bay(bay_id)
        start, end = self._period(load(AvailabilityQuery, payload))
        reasons = rules.bay_out_of_service_reasons(bay, self._equipment_in(bay), start, end, self._zone())
        return AvailabilityView().dump(rules.availability(reasons))

    def bay_for_dispatch(self, site_id, bay_id):
        """The bay work at site_id may be given to now, or a Conflict naming why it may not."""
        bay = self.db.get(Bay, str(bay_id))
        if bay is None or bay.site_id != site_id:
            raise NotFound(f"No bay {bay_id} at site {site_id}.", {"bay_id": ["Unknown bay at this site."]})
        start, end = rules.moment(utcnow())
        reasons = rules.bay_out_of_service_reasons(bay, self._equipment_in(bay), start, end, self._zone())
        if reasons:
            why = rules.describe(reasons)
            raise Conflict(f"Bay {bay.code} is out of service: {why}", {"bay_id": [f"Out of service: {why}"]})
        return bay

    # --- the equipment register ---

    @rpc
    def register_equipment(self, payload):
        self.auth.require_role(*MANAGERS)
        data = load(NewEquipment, payload)
        self.auth.require_site(data["site_id"])
        if data["bay_id"] is not None:
            bay = self.db.get(Bay, data["bay_id"])
            if bay is None or bay.site_id != data["site_id"]:
                raise InvalidInput("The bay is not a bay of this site.", {"bay_id": ["Unknown bay at this site."]})
        if self.db.scalars(select(Equipment).where(Equipment.site_id == data["site_id"],
                                                   Equipment.asset_number == data["asset_number"])).first():
            raise Conflict(f"Site {data['site_id']} already has equipment {data['asset_number']}.",
                           {"asset_number": ["Already used at this site."]})
        equipment = self.db.add(Equipment(**data))
        self.db.commit()
        return self._equipment_view(equipment)

    @rpc
    def list_equipment(self, payload):
        query = load(EquipmentQuery, payload)
        statement = self.auth.restrict_to_sites(
            select(Equipment).order_by(Equipment.site_id, Equipment.asset_number), Equipment.site_id,
            query["site_id"])
        if query["bay_id"]:
            statement = statement.where(Equipment.bay_id == query["bay_id"])
        if query["kind"]:
            statement = statement.where(Equipment.kind == query["kind"])
        return [self._equipment_view(equipment) for equipment in self.db.scalars(statement)]

    @rpc
    def get_equipment(self, equipment_id):
        return self._equipment_view(self._equipment(equipment_id))

    @rpc
    def get_equipment_availability(self, equipment_id, payload):
        equipment = self._equipment(equipment_id)
        start, end = self._period(load(AvailabilityQuery, payload))
        return AvailabilityView().dump(rules.availability(
            rules.out_of_service_reasons(equipment, start, end, self._zone())))

    # --- files (档案) ---

    @rpc
    def add_equipment_file(self, equipment_id, payload):
        """A pdf, jpeg or png kept in the database, so every replica can hand it out."""
        self.auth.require_role(*FLOOR)
        upload = load(EquipmentFileUpload, payload)
        equipment = self._equipment(equipment_id)
        max_bytes = int(self.config.get("EQUIPMENT_FILE_MAX_BYTES", DEFAULT_FILE_MAX_BYTES))
        content = accepted_upload(upload, max_bytes)
        stored = self.db.add(EquipmentFile(
            equipment_id=equipment.id, site_id=equipment.site_id, category=upload["category"],
            filename=upload["filename"] or f"{upload['category']}", content_type=upload["content_type"],
            size_bytes=len(content), content=content, uploaded_by=self.auth.username, uploaded_at=utcnow()))
        self.db.commit()
        return EquipmentFileView().dump(stored)

    @rpc
    def list_equipment_files(self, equipment_id):
        equipment = self._equipment(equipment_id)
        files = self.db.scalars(select(EquipmentFile).where(EquipmentFile.equipment_id == equipment.id)
                                .order_by(EquipmentFile.uploaded_at)).all()
        return EquipmentFileView(many=True).dump(files)

    @rpc
    def get_equipment_file(self, equipment_id, file_id):
        equipment = self._equipment(equipment_id)
        stored = self.db.get(EquipmentFile, str(file_id))
        if stored is None or stored.equipment_id != equipment.id:
            raise NotFound(f"No file {file_id} of this equipment.", {"file_id": ["Unknown file of this equipment."]})
        return EquipmentFileContent().dump({**columns(stored),
                                            "content_base64": base64.b64encode(stored.content).decode()})

    # --- preventive maintenance (保养) ---

    @rpc
    def set_maintenance_plan(self, equipment_id, payload):
        self.auth.require_role(*MANAGERS)
        data = load(MaintenancePlanInput, payload)
        equipment = self._equipment(equipment_id)
        next_due_on = data["next_due_on"] or rules.next_maintenance_due(self._today(), data["interval_days"])
        plan = equipment.maintenance_plan
        if plan is None:
            plan = equipment.maintenance_plan = MaintenancePlan(equipment_id=equipment.id)
        plan.interval_days, plan.tasks, plan.next_due_on = data["interval_days"], data["tasks"], next_due_on
        self.db.commit()
        return self._maintenance_view(equipment)

    @rpc
    def get_maintenance(self, equipment_id):
        return self._maintenance_view(self._equipment(equipment_id))

    @rpc
    def schedule_maintenance_window(self, equipment_id, payload):
        """A time the equipment is being maintained: out of service, and its bay out of capacity."""
        self.auth.require_role(*MANAGERS)
        data = load(MaintenanceWindowInput, payload)
        equipment = self._equipment(equipment_id)
        window = MaintenanceWindow(equipment_id=equipment.id, starts_at=data["starts_at"], ends_at=data["ends_at"],
                                   reason=data["reason"], scheduled_by=self.auth.username)
        equipment.maintenance_windows.append(window)
        self.db.flush()
        self.db.commit()
        return MaintenanceWindowView().dump(window)

    @rpc
    def cancel_maintenance_window(self, equipment_id, window_id):
        self.auth.require_role(*MANAGERS)
        equipment = self._equipment(equipment_id)
        window = next((w for w in equipment.maintenance_windows if w.id == str(window_id)), None)
        if window is None:
            raise NotFound(f"No maintenance window {window_id} of this equipment.",
                           {"window_id": ["Unknown window of this equipment."]})
        if window.cancelled_at is not None:
            raise Conflict("The maintenance window is already cancelled.", {"window_id": ["Already cancelled."]})
        window.cancelled_at = utcnow()
        self.db.commit()
        return MaintenanceWindowView().dump(window)

    @rpc
    def record_maintenance(self, equipment_id, payload):
        """Maintenance done: the plan's next due date moves on from the day it was done."""
        self.auth.require_role(*FLOOR)
        data = load(MaintenanceDone, payload)
        equipment = self._equipment(equipment_id)
        done_on = data["done_on"] or self._today()
        if done_on > self._today():
            raise InvalidInput("Maintenance cannot be recorded ahead of time.", {"done_on": ["Is in the future."]})
        self.db.add(MaintenanceRecord(equipment_id=equipment.id, done_on=done_on, done_by=self.auth.username,
                                      notes=data["notes"], recorded_at=utcnow()))
        if equipment.maintenance_plan is not None:
            equipment.maintenance_plan.next_due_on = rules.next_maintenance_due(
                done_on, equipment.maintenance_plan.interval_days)
        self.db.commit()
        return self._maintenance_view(equipment)

    # --- faults and repairs (故障/维修) ---

    @rpc
    def report_fault(self, equipment_id, payload):
        self.auth.require_role(*FLOOR)
        data = load(FaultReport, payload)
        equipment = self._equipment(equipment_id)
        was_out = self._reasons_now(equipment)
        fault = EquipmentFault(equipment_id=equipment.id, description=data["description"],
                               out_of_service=data["out_of_service"], reported_by=self.auth.username,
                               reported_at=utcnow())
        equipment.faults.append(fault)
        self.db.flush()
        self._announce_service_change(equipment, was_out, fault)
        self.db.commit()
        return self._fault_view(fault)

    @rpc
    def list_faults(self, equipment_id):
        return [self._fault_view(fault) for fault in self._equipment(equipment_id).faults]

    @rpc
    def record_repair(self, equipment_id, fault_id, payload):
        """The fault is repaired and closed; equipment with no other reason to be out is back in service."""
        self.auth.require_role(*FLOOR)
        data = load(RepairRecord, payload)
        equipment = self._equipment(equipment_id)
        fault = next((f for f in equipment.faults if f.id == str(fault_id)), None)
        if fault is None:
            raise NotFound(f"No fault {fault_id} of this equipment.", {"fault_id": ["Unknown fault of this equipment."]})
        if not fault.open:
            raise Conflict("The fault is already repaired.", {"fault_id": ["Already repaired."]})
        was_out = self._reasons_now(equipment)
        fault.repaired_at, fault.repaired_by, fault.repair_notes = utcnow(), self.auth.username, data["repair_notes"]
        self._announce_service_change(equipment, was_out, fault)
        self.db.commit()
        return self._fault_view(fault)

    # --- calibration (校准) ---

    @rpc
    def record_calibration(self, equipment_id, payload):
        """A calibration with its certificate; the tool needs calibration from now on and is valid until next_due_on."""
        self.auth.require_role("site_manager", "foreman", "quality_inspector")
        data = load(CalibrationRecord, payload)
        equipment = self._equipment(equipment_id)
        if data["calibrated_on"] > self._today():
            raise InvalidInput("A calibration cannot be recorded ahead of time.",
                               {"calibrated_on": ["Is in the future."]})
        was_out = self._reasons_now(equipment)
        calibration = self.db.add(Calibration(equipment_id=equipment.id, recorded_by=self.auth.username,
                                              recorded_at=utcnow(), **data))
        equipment.calibration_required = True
        equipment.calibration_due_on = data["next_due_on"]
        self.db.flush()
        self._announce_service_change(equipment, was_out, None)
        self.db.commit()
        return CalibrationView().dump(calibration)

    @rpc
    def list_calibrations(self, equipment_id):
        equipment = self._equipment(equipment_id)
        return CalibrationView(many=True).dump(self.db.scalars(
            select(Calibration).where(Calibration.equipment_id == equipment.id)
            .order_by(Calibration.calibrated_on, Calibration.recorded_at)).all())

    # --- due alerts ---

    @timer(interval=DUE_CHECK_SECONDS)
    def check_equipment_due_regularly(self):
        self.check_equipment_due()

    @rpc
    def check_equipment_due(self):
        """One pass: equipment_maintenance_due / equipment_calibration_due, once per due date, some days ahead."""
        today = self._today()
        ahead = int(self.config.get("EQUIPMENT_DUE_ALERT_DAYS", DEFAULT_DUE_ALERT_DAYS))
        horizon = today + timedelta(days=ahead)
        raised = 0
        plans = self.db.scalars(select(MaintenancePlan).where(
            MaintenancePlan.next_due_on <= horizon,
            or_(MaintenancePlan.alerted_for.is_(None), MaintenancePlan.alerted_for != MaintenancePlan.next_due_on))
            .with_for_update(skip_locked=True)).all()
        for plan in plans:
            if rules.alert_due(plan.next_due_on, plan.alerted_for, today, ahead):
                plan.alerted_for = plan.next_due_on
                self._emit_due(EQUIPMENT_MAINTENANCE_DUE, self.db.get(Equipment, plan.equipment_id),
                               plan.next_due_on, today, plan.tasks)
                raised += 1
        tools = self.db.scalars(select(Equipment).where(
            Equipment.calibration_required.is_(True), Equipment.calibration_due_on <= horizon,
            or_(Equipment.calibration_alerted_for.is_(None),
                Equipment.calibration_alerted_for != Equipment.calibration_due_on))
            .with_for_update(of=Equipment, skip_locked=True)).all()
        for equipment in tools:
            if rules.alert_due(equipment.calibration_due_on, equipment.calibration_alerted_for, today, ahead):
                equipment.calibration_alerted_for = equipment.calibration_due_on
                self._emit_due(EQUIPMENT_CALIBRATION_DUE, equipment, equipment.calibration_due_on, today, None)
                raised += 1
        self.db.commit()
        return raised

    # --- capacity (what reception books against) ---

    @rpc
    def get_capacity(self, payload):
        """Bookable hours of a site on a day; the formula is in contracts.workshop.CapacityView."""
        query = load(CapacityQuery, payload)
        site_id, day = query["site_id"], query["date"]
        self.auth.require_site(site_id)
        zone = self._zone()
        start, end = self._working_day(day)
        bays = self.db.scalars(select(Bay).where(Bay.site_id == site_id).order_by(Bay.code)).all()
        equipment = self.db.scalars(select(Equipment).where(Equipment.site_id == site_id,
                                                            Equipment.bay_id.is_not(None))).all()
        out = []
        for bay in bays:
            reasons = rules.bay_out_of_service_reasons(
                bay, [e for e in equipment if e.bay_id == bay.id], start, end, zone)
            if reasons:
                out.append({"bay_id": bay.id, "code": bay.code, "reasons": reasons})
        staff = self.training.list_staff({"site_id": site_id, "role": "technician"})
        technicians = sum(1 for member in staff if member["active"])
        hours_per_day = self._hours_per_day(site_id)
        day_starts = datetime.combine(day, time.min, tzinfo=zone)
        orders = self.db.scalars(select(RepairOrder).where(
            RepairOrder.site_id == site_id, RepairOrder.status.in_(ro.OPEN_STATES),
            RepairOrder.promised_at >= day_starts, RepairOrder.promised_at < day_starts + timedelta(days=1))).all()
        committed = rules.committed_hours(orders, day, zone, utcnow())
        return CapacityView().dump({
            "site_id": site_id, "date": day, "bays_total": len(bays), "bays_in_service": len(bays) - len(out),
            "bays_out": out, "technicians_available": technicians, "hours_per_day": hours_per_day,
            **rules.capacity(len(bays) - len(out), technicians, hours_per_day, committed)})

    @rpc
    def get_site_settings(self, site_id):
        site_id = load(SiteRef, {"site_id": site_id})["site_id"]
        self.auth.require_site(site_id)
        return self._settings_view(site_id)

    @rpc
    def set_site_settings(self, site_id, payload):
        self.auth.require_role("site_manager")
        site_id = load(SiteRef, {"site_id": site_id})["site_id"]
        data = load(SiteSettingsInput, payload)
        self.auth.require_site(site_id)
        settings = self.db.get(SiteSettings, site_id) or self.db.add(SiteSettings(site_id=site_id))
        settings.hours_per_day, settings.updated_by = data["hours_per_day"], self.auth.username
        self.db.commit()
        return self._settings_view(site_id)

    # --- helpers ---

    def _bay(self, bay_id):
        bay = self.db.get(Bay, str(bay_id))
        if bay is None:
            raise NotFound(f"No bay {bay_id}.", {"bay_id": ["Unknown bay."]})
        self.auth.require_site(bay.site_id)
        return bay

    def _equipment(self, equipment_id):
        equipment = self.db.get(Equipment, str(equipment_id))
        if equipment is None:
            raise NotFound(f"No equipment {equipment_id}.", {"equipment_id": ["Unknown equipment."]})
        self.auth.require_site(equipment.site_id)
        return equipment

    def _equipment_in(self, bay):
        return self.db.scalars(select(Equipment).where(Equipment.bay_id == bay.id)).all()

    def _reasons_now(self, equipment):
        start, end = rules.moment(utcnow())
        return rules.out_of_service_reasons(equipment, start, end, self._zone())

    def _announce_service_change(self, equipment, was_out, fault):
        """equipment_out_of_service / equipment_back_in_service when what was recorded changed it."""
        now = self._reasons_now(equipment)
        if bool(was_out) == bool(now):
            return
        self.db.emit(EQUIPMENT_OUT_OF_SERVICE if now else EQUIPMENT_BACK_IN_SERVICE, {
            "equipment_id": equipment.id, "bay_id": equipment.bay_id, "kind": equipment.kind,
            "asset_number": equipment.asset_number, "at": utcnow().isoformat(), "by": self.auth.username,
            "fault_id": fault.id if fault is not None else None,
            "reasons": [_reason_payload(reason) for reason in now]}, site_id=equipment.site_id)

    def _emit_due(self, contract, equipment, due_on, today, tasks):
        self.db.emit(contract, {
            "equipment_id": equipment.id, "bay_id": equipment.bay_id, "kind": equipment.kind,
            "asset_number": equipment.asset_number, "due_on": due_on.isoformat(), "days_left": (due_on - today).days,
            "tasks": tasks}, site_id=equipment.site_id)

    def _period(self, query):
        if query["date"] is not None:
            return self._working_day(query["date"])
        return rules.moment(query["at"] or utcnow())


    def _today(self):
        return utcnow().astimezone(self._zone()).date()

    def _working_day(self, day):
        return rules.working_day(day, self._zone(),
                                 rules.clock(self.config.get("WORKSHOP_OPENING_HOUR", DEFAULT_OPENING_HOUR)),
                                 rules.clock(self.config.get("WORKSHOP_CLOSING_HOUR", DEFAULT_CLOSING_HOUR)))

    def _hours_per_day(self, site_id):
        settings = self.db.get(SiteSettings, site_id)
        if settings is not None:
            return settings.hours_per_day
        return Decimal(str(self.config.get("WORKSHOP_HOURS_PER_DAY", DEFAULT_HOURS_PER_DAY)))

    def _settings_view(self, site_id):
        return SiteSettingsView().dump({"site_id": site_id, "hours_per_day": self._hours_per_day(site_id),
                                        "configured": self.db.get(SiteSettings, site_id) is not None})

    def _bay_view(self, bay):
        return BayView().dump(columns(bay))

    def _equipment_view(self, equipment):
        plan = equipment.maintenance_plan
        return EquipmentView().dump({
            **columns(equipment), "maintenance_due_on": plan.next_due_on if plan else None,
            "availability": rules.availability(self._reasons_now(equipment))})

    def _maintenance_view(self, equipment):
        records = self.db.scalars(select(MaintenanceRecord).where(MaintenanceRecord.equipment_id == equipment.id)
                                  .order_by(MaintenanceRecord.done_on, MaintenanceRecord.recorded_at)).all()
        return MaintenanceView().dump({"equipment_id": equipment.id, "plan": equipment.maintenance_plan,
                                       "windows": equipment.maintenance_windows, "records": records})

    def _fault_view(self, fault):
        return FaultView().dump({**columns(fault), "open": fault.open})


def _reason_payload(reason):
    return {**reason, "until": reason["until"].isoformat() if reason["until"] else None}
