"""Workshop dispatch (派工) and clocking (打卡): work to certified technicians, their time, load and efficiency."""
from apigateway.http import api
from contracts import workshop as c


class WorkshopDispatchRoutes:
    @api("POST", "/api/v1/repair-orders/<repair_order_id>/labour-lines/<line_id>/dispatch", tag="workshop",
         body=c.LineDispatch, answer=c.RepairOrderView,
         summary="Dispatch a labour line to a technician certified for its skill, and a bay (foreman)")
    def dispatch_line(self, repair_order_id, line_id, body):
        return self.workshop.dispatch_line(repair_order_id, line_id, body)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/labour-lines/<line_id>/clock-on", tag="workshop",
         body=c.ClockOn, answer=c.ClockEntryView, status=201,
         summary="A technician clocks on a line (one line at a time); the first clock-on starts the job")
    def clock_on(self, repair_order_id, line_id, body):
        return self.workshop.clock_on(repair_order_id, line_id, body)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/labour-lines/<line_id>/clock-off", tag="workshop",
         body=c.ClockOff, answer=c.ClockEntryView,
         summary="A technician clocks off a line: pause, done or end of shift")
    def clock_off(self, repair_order_id, line_id, body):
        return self.workshop.clock_off(repair_order_id, line_id, body)

    @api("GET", "/api/v1/workshop/technician-load", tag="workshop", query=c.TechnicianLoadQuery,
         answer=c.TechnicianLoadView, many=True,
         summary="Each active technician of a site: dispatched work, remaining hours, clocked today, clocked on now")
    def technician_load(self, query):
        return self.workshop.technician_load(query)

    @api("GET", "/api/v1/workshop/technician-efficiency", tag="workshop", query=c.EfficiencyQuery,
         answer=c.EfficiencyReportView,
         summary="Technician efficiency over a period: standard hours of finished lines / hours clocked on them")
    def technician_efficiency(self, query):
        return self.workshop.technician_efficiency(query)
