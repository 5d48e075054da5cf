"""Workshop progress: the board, delay alerts, re-promised times, comebacks and their rate."""
from apigateway.http import api
from contracts import workshop as workshop_contract


class WorkshopProgressRoutes:
    @api("GET", "/api/v1/workshop/board", tag="workshop progress", query=workshop_contract.BoardQuery,
         answer=workshop_contract.BoardEntry, many=True,
         summary="Progress board (进度看板): every open repair order by promised time, with technicians, bays, "
                 "progress = clocked work hours / approved standard hours, what it waits for and its delay risk")
    def progress_board(self, query):
        return self.workshop.progress_board(query)

    @api("POST", "/api/v1/workshop/delay-checks", tag="workshop progress", answer=workshop_contract.DelayAlertView,
         many=True,
         summary="Check every order of your sites for delays now (the service also does it every minute); "
                 "answers the alerts raised by this check")
    def check_delays(self):
        return self.workshop.check_delays()

    @api("GET", "/api/v1/workshop/delay-alerts", tag="workshop progress", query=workshop_contract.DelayAlertQuery,
         answer=workshop_contract.DelayAlertView, many=True, summary="Delay alerts raised (延误预警), newest first")
    def list_delay_alerts(self, query):
        return self.workshop.list_delay_alerts(query)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/promised-time", tag="workshop progress",
         body=workshop_contract.NewPromisedTime, answer=workshop_contract.RepairOrderView,
         summary="Promise the car for another time, with the reason (the customer is told)")
    def change_promised_time(self, repair_order_id, body):
        return self.workshop.change_promised_time(repair_order_id, body)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/comeback", tag="workshop progress",
         body=workshop_contract.ComebackFlag, answer=workshop_contract.RepairOrderView,
         summary="Flag the order as a comeback (返修) of an earlier, delivered order of the same vehicle")
    def flag_comeback(self, repair_order_id, body):
        return self.workshop.flag_comeback(repair_order_id, body)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/comeback/clear", tag="workshop progress",
         body=workshop_contract.ComebackClear, answer=workshop_contract.RepairOrderView,
         summary="Take the comeback flag off the order, with the reason")
    def clear_comeback(self, repair_order_id, body):
        return self.workshop.clear_comeback(repair_order_id, body)

    @api("GET", "/api/v1/workshop/comebacks", tag="workshop progress", query=workshop_contract.ComebackReportQuery,
         answer=workshop_contract.ComebackReport,
         summary="Comebacks: orders opened from..to repeating a concern of the same vehicle within 30 days; "
                 "comeback rate = comebacks / orders closed from..to x 100; first-time-fix rate = 100 - it")
    def comeback_report(self, query):
        return self.workshop.comeback_report(query)
