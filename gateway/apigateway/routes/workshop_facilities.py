"""Workshop facilities: bays and equipment, files, maintenance, faults, calibration, capacity and site settings."""
from apigateway.http import api, file_response
from contracts import workshop as c

TAG = "workshop facilities"
EQUIPMENT = "/api/v1/workshop/equipment/<equipment_id>"


class WorkshopFacilitiesRoutes:
    # --- bays ---

    @api("POST", "/api/v1/workshop/bays", tag=TAG, body=c.NewBay, answer=c.BayView, status=201,
         summary="Register a bay of a site's workshop")
    def create_bay(self, body):
        return self.workshop.create_bay(body)

    @api("GET", "/api/v1/workshop/bays", tag=TAG, query=c.BayQuery, answer=c.BayView, many=True,
         summary="Bays of the sites you work at")
    def list_bays(self, query):
        return self.workshop.list_bays(query)

    @api("GET", "/api/v1/workshop/bays/<bay_id>/availability", tag=TAG, query=c.AvailabilityQuery,
         answer=c.AvailabilityView, summary="Whether a bay is in service now, at a moment (?at=) or on a day "
         "(?date=, its opening hours), and if not why")
    def get_bay_availability(self, bay_id, query):
        return self.workshop.get_bay_availability(bay_id, query)

    # --- equipment register ---

    @api("POST", "/api/v1/workshop/equipment", tag=TAG, body=c.NewEquipment, answer=c.EquipmentView, status=201,
         summary="Register a lift, tool or rig (in a bay, or portable)")
    def register_equipment(self, body):
        return self.workshop.register_equipment(body)

    @api("GET", "/api/v1/workshop/equipment", tag=TAG, query=c.EquipmentQuery, answer=c.EquipmentView, many=True,
         summary="The equipment register of the sites you work at")
    def list_equipment(self, query):
        return self.workshop.list_equipment(query)

    @api("GET", EQUIPMENT, tag=TAG, answer=c.EquipmentView, summary="A piece of equipment, in service now or why not")
    def get_equipment(self, equipment_id):
        return self.workshop.get_equipment(equipment_id)

    @api("GET", f"{EQUIPMENT}/availability", tag=TAG, query=c.AvailabilityQuery, answer=c.AvailabilityView,
         summary="Whether the equipment is in service now, at a moment (?at=) or on a day (?date=), and if not why")
    def get_equipment_availability(self, equipment_id, query):
        return self.workshop.get_equipment_availability(equipment_id, query)

    # --- files ---

    @api("POST", f"{EQUIPMENT}/files", tag=TAG, upload=c.FILE_CONTENT_TYPES, query=c.EquipmentFileQuery,
         answer=c.EquipmentFileView, status=201,
         summary="Add a document to the equipment's file: a pdf, jpeg or png sent as the body (?filename= names it, "
                 "?category= is manual, inspection_certificate, photo or other)")
    def add_equipment_file(self, equipment_id, upload, query):
        category = {"category": query["category"]} if query.get("category") else {}
        return self.workshop.add_equipment_file(equipment_id, {**upload, **category})

    @api("GET", f"{EQUIPMENT}/files", tag=TAG, answer=c.EquipmentFileView, many=True,
         summary="The documents of the equipment's file")
    def list_equipment_files(self, equipment_id):
        return self.workshop.list_equipment_files(equipment_id)

    @api("GET", f"{EQUIPMENT}/files/<file_id>", tag=TAG, produces=c.FILE_CONTENT_TYPES,
         summary="One document of the equipment's file, as the file itself (its own Content-Type)")
    def get_equipment_file(self, equipment_id, file_id):
        stored = self.workshop.get_equipment_file(equipment_id, file_id)
        return file_response(stored, named=True)

    # --- maintenance ---

    @api("GET", f"{EQUIPMENT}/maintenance", tag=TAG, answer=c.MaintenanceView,
         summary="The equipment's maintenance plan, scheduled windows and maintenance done")
    def get_maintenance(self, equipment_id):
        return self.workshop.get_maintenance(equipment_id)

    @api("PUT", f"{EQUIPMENT}/maintenance/plan", tag=TAG, body=c.MaintenancePlanInput, answer=c.MaintenanceView,
         summary="Set the preventive maintenance plan: every interval_days, these tasks")
    def set_maintenance_plan(self, equipment_id, body):
        return self.workshop.set_maintenance_plan(equipment_id, body)

    @api("POST", f"{EQUIPMENT}/maintenance/windows", tag=TAG, body=c.MaintenanceWindowInput,
         answer=c.MaintenanceWindowView, status=201,
         summary="Schedule a maintenance window: the equipment, and its bay, are out of service from starts_at "
                 "until ends_at")
    def schedule_maintenance_window(self, equipment_id, body):
        return self.workshop.schedule_maintenance_window(equipment_id, body)

    @api("POST", f"{EQUIPMENT}/maintenance/windows/<window_id>/cancel", tag=TAG, answer=c.MaintenanceWindowView,
         summary="Cancel a scheduled maintenance window")
    def cancel_maintenance_window(self, equipment_id, window_id):
        return self.workshop.cancel_maintenance_window(equipment_id, window_id)

    @api("POST", f"{EQUIPMENT}/maintenance/records", tag=TAG, body=c.MaintenanceDone, answer=c.MaintenanceView,
         status=201, summary="Record maintenance done; the plan's next due date moves on from that day")
    def record_maintenance(self, equipment_id, body):
        return self.workshop.record_maintenance(equipment_id, body)

    # --- faults ---

    @api("POST", f"{EQUIPMENT}/faults", tag=TAG, body=c.FaultReport, answer=c.FaultView, status=201,
         summary="Report a fault; out_of_service takes the equipment and its bay out until repaired")
    def report_fault(self, equipment_id, body):
        return self.workshop.report_fault(equipment_id, body)

    @api("GET", f"{EQUIPMENT}/faults", tag=TAG, answer=c.FaultView, many=True, summary="The equipment's faults")
    def list_faults(self, equipment_id):
        return self.workshop.list_faults(equipment_id)

    @api("POST", f"{EQUIPMENT}/faults/<fault_id>/repair", tag=TAG, body=c.RepairRecord, answer=c.FaultView,
         summary="Record the repair: the fault is closed")
    def record_repair(self, equipment_id, fault_id, body):
        return self.workshop.record_repair(equipment_id, fault_id, body)

    # --- calibration ---

    @api("POST", f"{EQUIPMENT}/calibrations", tag=TAG, body=c.CalibrationRecord, answer=c.CalibrationView,
         status=201, summary="Record a calibration with its certificate; valid until next_due_on")
    def record_calibration(self, equipment_id, body):
        return self.workshop.record_calibration(equipment_id, body)

    @api("GET", f"{EQUIPMENT}/calibrations", tag=TAG, answer=c.CalibrationView, many=True,
         summary="The equipment's calibrations")
    def list_calibrations(self, equipment_id):
        return self.workshop.list_calibrations(equipment_id)

    # --- capacity and site settings ---

    @api("GET", "/api/v1/workshop/capacity", tag=TAG, query=c.CapacityQuery, answer=c.CapacityView,
         summary="Bookable workshop hours of a site on a day: min(bays in service, technicians) × hours per day, "
                 "less the standard hours still to do on orders promised that day")
    def get_capacity(self, query):
        return self.workshop.get_capacity(query)

    @api("GET", "/api/v1/workshop/sites/<site_id>/settings", tag=TAG, answer=c.SiteSettingsView,
         summary="A site's workshop settings (productive hours per bay per day)")
    def get_site_settings(self, site_id):
        return self.workshop.get_site_settings(site_id)

    @api("PUT", "/api/v1/workshop/sites/<site_id>/settings", tag=TAG, body=c.SiteSettingsInput,
         answer=c.SiteSettingsView, summary="Set a site's workshop settings")
    def set_site_settings(self, site_id, body):
        return self.workshop.set_site_settings(site_id, body)
