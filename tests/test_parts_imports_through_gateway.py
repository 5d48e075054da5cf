"""Catalogue import through the HTTP gateway, every service running on the real broker and PostgreSQL.

Done when (issue #5): an import of 20,000 rows with 3 bad rows reported and the rest kept.
"""
import csv
import io
import time
import uuid

import pytest
import requests

from contracts.parts import IMPORT_COLUMNS

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def admin(platform, admin_password):
    return login(platform, "admin", admin_password)


def login(base, username, password):
    answer = requests.post(f"{base}/api/v1/auth/token", json={"username": username, "password": password}, timeout=10)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


@pytest.fixture(scope="module")
def clerk(platform, admin):
    return new_user(platform, admin, "parts_clerk")


@pytest.fixture(scope="module")
def technician(platform, admin):
    return new_user(platform, admin, "technician")


def new_user(base, admin, role):
    username, password = f"{role}-{uuid.uuid4().hex[:6]}", "import-test-pw-1"
    answer = requests.post(f"{base}/api/v1/users", headers=admin, timeout=10, json={
        "username": username, "password": password, "roles": [role], "sites": ["SH01"]})
    assert answer.status_code == 201, answer.text
    return login(base, username, password)


def catalogue_csv(count, tag, bad=None):
    """`count` parts under a header; `bad` maps a line (header = 1) to the column and value that spoil it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(IMPORT_COLUMNS)
    for line in range(2, count + 2):
        row = {"part_number": f"{tag}-{line:06d}", "name": "空气滤清器", "name_en": "Air filter",
               "category": "filters", "brand": "Mann", "fitment": "Camry;RAV4", "specification": "C 27 006",
               "unit": "piece", "cost_price": "48.00", "retail_price": "86.00", "workshop_price": "80.00",
               "shelf_life_days": "", "superseded_by": ""}
        if bad and line in bad:
            column, value = bad[line]
            row[column] = value
        writer.writerow([row[column] for column in IMPORT_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def send(base, headers, content, filename, content_type=CSV):
    return requests.post(f"{base}/api/v1/parts/imports", params={"filename": filename}, data=content, timeout=30,
                         headers={**headers, "Content-Type": content_type})


def test_twenty_thousand_rows_with_three_bad_ones_are_imported_and_the_bad_ones_reported_by_line(
        platform, clerk, subscribe):
    events = subscribe(("parts.events", "catalogue_imported"))
    tag = f"G{uuid.uuid4().hex[:6].upper()}"
    bad = {7: ("cost_price", "48,0.0"), 10_001: ("part_number", ""), 19_999: ("shelf_life_days", "forever")}
    content = catalogue_csv(20_000, tag, bad)

    began = time.monotonic()
    answer = send(platform, clerk, content, "mann-2026.csv")
    assert answer.status_code == 202, answer.text
    job = answer.json()
    assert (job["status"], job["filename"], job["file_format"]) == ("pending", "mann-2026.csv", "csv")

    seen_mid_way = []
    while job["status"] in ("pending", "running"):
        assert time.monotonic() - began < 240, f"import not done in 240 s: {job}"
        time.sleep(0.2)
        answer = requests.get(f"{platform}/api/v1/parts/imports/{job['import_id']}", headers=clerk, timeout=10)
        assert answer.status_code == 200, answer.text
        job = answer.json()
        if job["status"] == "running" and 0 < job["processed_rows"] < job["total_rows"]:
            seen_mid_way.append((job["processed_rows"], job["percent_done"]))
    took = time.monotonic() - began
    print(f"\n20,000-row catalogue import through the gateway, upload to done: {took:.1f} s")

    assert job["status"] == "done", job
    assert (job["total_rows"], job["processed_rows"], job["percent_done"]) == (20_000, 20_000, 100)
    assert (job["created"], job["updated"], job["rejected"]) == (19_997, 0, 3)
    assert [(row["line"], row["field"]) for row in job["bad_rows"]] == [
        (7, "cost_price"), (10_001, "part_number"), (19_999, "shelf_life_days")]
    assert job["bad_rows"][1]["reason"] == "Missing data for required field."
    assert seen_mid_way, "the progress was never seen between 0 and the total"
    assert seen_mid_way == sorted(seen_mid_way), "the progress only moves forward"

    for line in (2, 6, 8, 10_000, 10_002, 19_998, 20_001):
        part = requests.get(f"{platform}/api/v1/parts/{tag}-{line:06d}", headers=clerk, timeout=10)
        assert part.status_code == 200, part.text
        assert (part.json()["retail_price"], part.json()["fitment"]) == ("86.00", ["Camry", "RAV4"])
    for line in (7, 19_999):
        assert requests.get(f"{platform}/api/v1/parts/{tag}-{line:06d}", headers=clerk, timeout=10).status_code == 404

    event = events.wait_for("catalogue_imported", lambda e: e["payload"]["import_id"] == job["import_id"])
    assert event["payload"] == {"import_id": job["import_id"], "filename": "mann-2026.csv", "status": "done",
                                "total_rows": 20_000, "created": 19_997, "updated": 0, "rejected": 3}
    recent = requests.get(f"{platform}/api/v1/parts/imports", params={"limit": 5}, headers=clerk, timeout=10)
    assert recent.status_code == 200, recent.text
    assert job["import_id"] in [j["import_id"] for j in recent.json()]


def test_a_wrong_content_type_is_a_400_naming_the_body(platform, clerk):
    answer = send(platform, clerk, b'{"part_number": "X"}', "parts.json", content_type="application/json")
    assert answer.status_code == 400, answer.text
    assert (answer.json()["error"], list(answer.json()["details"])) == ("invalid_input", ["_body"])
    answer = send(platform, clerk, catalogue_csv(2, "MISLABEL"), "parts.xlsx", content_type=XLSX)
    assert answer.status_code == 400 and list(answer.json()["details"]) == ["_body"], answer.text


def test_a_file_missing_a_required_column_is_refused_at_once_naming_it(platform, clerk):
    content = b"part_number,name,retail_price\r\nM-1,\xe6\x9c\xba\xe6\xb2\xb9,68.00\r\n"
    answer = send(platform, clerk, content, "no-cost.csv")
    assert answer.status_code == 400, answer.text
    assert answer.json()["details"] == {"cost_price": ["Missing column: the header must have it."]}
    assert "cost_price" in answer.json()["message"]


def test_only_the_parts_department_imports_and_an_unknown_import_is_404(platform, technician, clerk):
    answer = send(platform, technician, catalogue_csv(2, f"T{uuid.uuid4().hex[:6].upper()}"), "x.csv")
    assert answer.status_code == 403, answer.text
    unknown = requests.get(f"{platform}/api/v1/parts/imports/{uuid.uuid4()}", headers=clerk, timeout=10)
    assert (unknown.status_code, unknown.json()["details"]) == (404, {"import_id": ["Unknown import."]})
    assert requests.get(f"{platform}/api/v1/parts/imports", timeout=10).status_code == 401
