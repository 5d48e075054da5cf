#!/usr/bin/env python3
"""`make demo`: one repair visit end to end, through the HTTP gateway of a running platform.

A customer and car are registered, the car is checked in, quoted, approved (the part is
reserved), repaired, inspected, delivered with its bill, and followed up. Each step is
printed and checked; the first step that does not come out as expected stops the demo
with a non-zero exit. Standard library only, so it runs with any Python 3.11.

Environment: GATEWAY_URL (default http://127.0.0.1:$GATEWAY_PORT, port 8000),
ADMIN_USERNAME (default admin), ADMIN_PASSWORD (default: read from var/admin-password),
DEMO_SITE (default SH01).
"""
import json
import os
import random
import string
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

VIN_VALUES = {**{str(d): d for d in range(10)}, **dict(zip("ABCDEFGH", range(1, 9))), **dict(zip("JKLMN", range(1, 6))),
              "P": 7, "R": 9, **dict(zip("STUVWXYZ", range(2, 10)))}
VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


class StepFailed(Exception):
    pass


def random_vin():
    """A VIN with a correct check digit (GB 16735), for a made-up Chinese-built car."""
    body = "LSV" + "".join(random.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(14))
    total = sum(VIN_VALUES[c] * w for c, w in zip(body, VIN_WEIGHTS))
    check = "X" if total % 11 == 10 else str(total % 11)
    return body[:8] + check + body[9:]


def random_plate():
    return "沪A" + "".join(random.choice("0123456789") for _ in range(5))


class Gateway:
    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")
        self.token = None

    def call(self, method, path, body=None, expect=(200, 201)):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, answer = response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            status, answer = error.code, json.loads(error.read() or b"null")
        except urllib.error.URLError as error:
            raise StepFailed(f"{method} {path}: cannot reach the gateway at {self.base_url} ({error.reason})")
        if status not in expect:
            raise StepFailed(f"{method} {path} answered {status}: {json.dumps(answer, ensure_ascii=False)}")
        return answer

    def get(self, path):
        return self.call("GET", path)

    def post(self, path, body=None):
        return self.call("POST", path, body if body is not None else {})

    def wait_for(self, what, path, check, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            answer = self.get(path)
            found = check(answer)
            if found:
                return found
            if time.monotonic() > deadline:
                raise StepFailed(f"{what}: not seen within {timeout}s at GET {path}; last answer {answer}")
            time.sleep(0.3)


def expect(condition, message):
    if not condition:
        raise StepFailed(message)


def play(base_url, username, password, site="SH01", say=print):
    """Run the whole visit; returns the ids and answers of every step."""
    api = Gateway(base_url)
    seen = {}

    say("1. Log in as the administrator")
    api.token = api.post("/api/v1/auth/token", {"username": username, "password": password})["access_token"]

    health = api.call("GET", "/health", expect=(200, 503))
    down = [name for name, report in health["services"].items() if report.get("status") != "ok"]
    expect(not down, f"services not healthy: {down}")
    say(f"   every service answers: {', '.join(sorted(health['services']))}")

    say("2. crm: register the customer and the car")
    customer = api.post("/api/v1/customers", {"site_id": site, "name": "王先生", "phone": "139" + "".join(
        random.choice(string.digits) for _ in range(8))})
    vehicle = api.post("/api/v1/vehicles", {"site_id": site, "customer_id": customer["customer_id"],
                                            "vin": random_vin(), "plate": random_plate(),
                                            "model": "Passat 380TSI", "mileage_km": 41200})
    say(f"   customer {customer['customer_id']}, {vehicle['model']} {vehicle['plate']} VIN {vehicle['vin']}")
    seen.update(customer=customer, vehicle=vehicle)

    say("3. parts: a brake pad set in stock, reorder point 3")
    part_number = "BP-" + "".join(random.choice(string.digits) for _ in range(6))
    api.post("/api/v1/parts", {"part_number": part_number, "name": "前刹车片", "name_en": "Front brake pads",
                               "unit": "set", "cost_price": "180.00", "retail_price": "320.00"})
    api.post("/api/v1/stock/receipts", {"site_id": site, "part_number": part_number, "quantity": "3"})
    stock = api.call("PUT", "/api/v1/stock/policy", {"site_id": site, "part_number": part_number,
                                                     "reorder_point": "3", "reorder_quantity": "6"})
    expect(stock["on_hand"] == "3.00", f"stock on hand should be 3.00, is {stock['on_hand']}")
    say(f"   {part_number}: on hand {stock['on_hand']}, reorder point {stock['reorder_point']}")
    seen["part_number"] = part_number

    say("4. training: a technician on the site's staff")
    technician = api.post("/api/v1/staff", {"site_id": site, "name": "李师傅", "role": "technician",
                                            "grade": "senior"})
    seen["technician"] = technician

    say("5. reception: check the car in")
    promised_at = (datetime.now(timezone.utc) + timedelta(hours=4)).replace(microsecond=0).isoformat()
    visit = api.post("/api/v1/visits", {"site_id": site, "vehicle_id": vehicle["vehicle_id"], "mileage_km": 41350,
                                        "concern": "刹车时有异响 (squeal when braking)",
                                        "walk_around_notes": "Scratch on rear bumper; fuel 1/2; umbrella in boot",
                                        "promised_at": promised_at})
    expect(visit["status"] == "checked_in", f"visit should be checked_in, is {visit['status']}")
    say(f"   visit {visit['visit_id']} checked in, promised for {visit['promised_at']}")

    say("6. workshop: the repair order opens by itself (vehicle_checked_in)")
    order = api.wait_for("repair order", f"/api/v1/repair-orders?visit_id={visit['visit_id']}",
                         lambda orders: orders[0] if orders else None)
    expect(order["status"] == "opened", f"repair order should be opened, is {order['status']}")
    ro = f"/api/v1/repair-orders/{order['repair_order_id']}"
    api.post(ro + "/labour-lines", {"operation_code": "BRK-FR", "description": "Replace front brake pads",
                                    "hours": "1.2"})
    order = api.post(ro + "/part-lines", {"part_number": part_number, "quantity": "1"})
    say(f"   quote: {order['labour_lines'][0]['description']} {order['labour_lines'][0]['amount']}, "
        f"{order['part_lines'][0]['description']} {order['part_lines'][0]['amount']}")

    say("7. The customer approves; the part is reserved")
    order = api.post(ro + "/approval", {"channel": "in_person"})
    expect(order["status"] == "approved", f"repair order should be approved, is {order['status']}")
    expect(order["part_lines"][0]["reservation_status"] == "reserved", "the brake pads should be reserved")
    stock = api.get(f"/api/v1/stock/{site}/{part_number}")
    expect(stock["reserved"] == "1.00", f"1 set should be reserved, stock shows {stock['reserved']}")

    say("8. The technician starts and completes the job")
    order = api.post(ro + "/start", {"technician_id": technician["staff_id"]})
    expect(order["status"] == "in_progress", f"repair order should be in_progress, is {order['status']}")
    order = api.post(ro + "/completion")
    expect(order["status"] == "completed", f"repair order should be completed, is {order['status']}")

    say("9. parts: the reserved part is issued (repair_completed)")
    stock = api.wait_for("parts issued", f"/api/v1/stock/{site}/{part_number}",
                         lambda s: s if s["on_hand"] == "2.00" and s["reserved"] == "0.00" else None)
    say(f"   on hand {stock['on_hand']}, below the reorder point {stock['reorder_point']}: low_stock raised")

    say("10. quality: the final inspection passes")
    inspection = api.wait_for("inspection", f"/api/v1/inspections?repair_order_id={order['repair_order_id']}",
                              lambda found: found[0] if found else None)
    expect(inspection["status"] == "pending", f"inspection should be pending, is {inspection['status']}")
    inspection = api.post(f"/api/v1/inspections/{inspection['inspection_id']}/result", {
        "items": [{"item": entry["item"], "passed": True} for entry in inspection["checklist"]],
        "remarks": "Road test 5 km, no noise"})
    expect(inspection["status"] == "passed", f"inspection should have passed, is {inspection['status']}")
    seen["inspection"] = inspection

    say("11. reception: the car is delivered with its bill")
    api.wait_for("ready for delivery", f"/api/v1/visits/{visit['visit_id']}",
                 lambda v: v if v["status"] == "ready_for_delivery" else None)
    invoice = api.post(f"/api/v1/visits/{visit['visit_id']}/invoice", {})
    api.post(f"/api/v1/invoices/{invoice['invoice_id']}/payments", {"method": "wechat_pay", "amount": invoice["total"]})
    say(f"   invoice {invoice['number']}: {invoice['total']} paid by WeChat Pay")
    visit = api.post(f"/api/v1/visits/{visit['visit_id']}/delivery", {"notes": "Old pads shown to the customer"})
    expect(visit["status"] == "delivered", f"visit should be delivered, is {visit['status']}")
    expect(visit["total"] == "680.00", f"bill should be 360.00 labour + 320.00 parts = 680.00, is {visit['total']}")
    say(f"   labour {visit['labour_total']} + parts {visit['parts_total']} = {visit['total']} {visit['currency']}; "
        f"promised time kept: {visit['promised_time_kept']}")
    seen["visit"] = visit

    say("12. crm schedules the follow-up call; training credits the technician")
    follow_up = api.wait_for("follow-up", f"/api/v1/follow-ups?vehicle_id={vehicle['vehicle_id']}",
                             lambda found: found[0] if found else None)
    expect(follow_up["visit_id"] == visit["visit_id"], "the follow-up should be for this visit")
    say(f"   call {follow_up['customer_id']} on {follow_up['due_at']} ({follow_up['reason']})")
    credits = api.wait_for("job credit", f"/api/v1/staff/{technician['staff_id']}/job-credits",
                           lambda c: c if c["credits"] else None)
    expect(credits["total_hours"] == "1.20", f"technician should be credited 1.20 h, has {credits['total_hours']}")
    say(f"   {technician['name']} credited {credits['total_hours']} h")
    order = api.wait_for("closed repair order", ro, lambda o: o if o["status"] == "closed" else None)
    say(f"   repair order {order['repair_order_id']} closed: " + " -> ".join(c["to_status"] for c in order["history"]))
    seen.update(order=order, follow_up=follow_up, credits=credits, stock=stock)
    return seen


def main():
    base_url = os.environ.get("GATEWAY_URL") or f"http://127.0.0.1:{os.environ.get('GATEWAY_PORT', '8000')}"
    username = os.environ.get("ADMIN_USERNAME", "admin")
    password = os.environ.get("ADMIN_PASSWORD")
    if not password:
        path = os.environ.get("ADMIN_PASSWORD_FILE", "var/admin-password")
        if not os.path.exists(path):
            print(f"Set ADMIN_PASSWORD (no {path} to read it from: is the platform running with `make run`?)")
            return 2
        with open(path) as handle:
            password = handle.read().strip()
    try:
        play(base_url, username, password, site=os.environ.get("DEMO_SITE", "SH01"))
    except StepFailed as failure:
        print(f"DEMO FAILED: {failure}")
        return 1
    print("Demo complete: one visit from check-in to follow-up.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
