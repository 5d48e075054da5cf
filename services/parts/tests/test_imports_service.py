"""Catalogue imports on the real broker and PostgreSQL: chunks, progress, bad rows by line, restarts, replicas."""
import base64
import csv
import io
import uuid

import openpyxl
import pytest
from sqlalchemy import text

from contracts.parts import CSV_CONTENT_TYPE, IMPORT_COLUMNS, XLSX_CONTENT_TYPE
from parts.models import Base
from parts.service import PartsService
from svckit.auth import Caller
from svckit.db import create_engine_for
from svckit.errors import Conflict, Forbidden, InvalidInput, NotFound
from svckit.testing.migrations import differences
from svckit.testing.subscriber import wait_until

MY_TABLES = {"catalogue_imports", "catalogue_import_rows", "catalogue_import_problems"}
TECHNICIAN = Caller(user_id="u-tech", username="wang.tech", roles=frozenset({"technician"}),
                    sites=frozenset({"SITE-1"}))


@pytest.fixture
def config(service_config):
    """The parts service with the background import timer off: a test takes the steps itself."""
    return service_config("parts", CATALOGUE_IMPORT_IN_BACKGROUND=False)


@pytest.fixture
def parts(container_factory, config):
    container = container_factory(PartsService, config)
    container.start()
    return container


@pytest.fixture
def client(parts, rpc):
    return rpc(timeout=60).parts


def prefix():
    return f"T{uuid.uuid4().hex[:6].upper()}"


def part_row(number, **overrides):
    row = {"part_number": number, "name": "机油滤清器", "name_en": "Oil filter", "category": "filters",
           "brand": "Bosch", "fitment": "Camry;Corolla", "specification": "M20x1.5", "unit": "piece",
           "cost_price": "20.50", "retail_price": "35.00", "workshop_price": "33.00", "shelf_life_days": "",
           "superseded_by": ""}
    row.update(overrides)
    return row


def csv_bytes(rows, columns=IMPORT_COLUMNS):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return buffer.getvalue().encode("utf-8")


def catalogue(count, start=0, tag=None):
    tag = tag or prefix()
    return [part_row(f"{tag}-{i:06d}") for i in range(start, start + count)]


def upload(client, content, filename="catalogue.csv", content_type=CSV_CONTENT_TYPE):
    return client.start_catalogue_import({"filename": filename, "content_type": content_type,
                                          "content_base64": base64.b64encode(content).decode()})


def count_rows(parts, sql, **params):
    engine = create_engine_for(parts.config["DATABASE_URL"])
    with engine.connect() as conn:
        value = conn.execute(text(sql), params).scalar()
    engine.dispose()
    return value


def test_migrations_build_what_the_models_describe_for_imports(databases):
    found = differences("parts:migrations", Base.metadata, databases.fresh_url("imports_schema"))
    assert [d for d in found if any(table in repr(d) for table in MY_TABLES)] == []


def test_an_xlsx_catalogue_is_imported_and_its_bad_rows_are_reported_by_row(client, subscribe):
    events = subscribe(("parts.events", "catalogue_imported"))
    tag = prefix()
    client.create_part({"part_number": f"{tag}-000007", "name": "旧名", "cost_price": "1.00", "retail_price": "2.00"})
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Part Number", "Name", "Name EN", "Category", "Brand", "Fitment", "Unit", "Cost Price",
                  "Retail Price", "Shelf Life Days"])
    for i in range(2500):
        sheet.append([f"{tag}-{i:06d}", "机油 5W-30", "Engine oil", "fluids", "Castrol", "Camry;Corolla", "litre",
                      40.5, 68, 730])
    sheet.cell(row=11, column=1, value="lower-case-1")     # part 9: bad part number
    sheet.cell(row=101, column=8, value="forty")          # part 99: bad cost price
    sheet.cell(row=1001, column=10, value=0)              # part 999: shelf life out of range
    buffer = io.BytesIO()
    workbook.save(buffer)

    started = upload(client, buffer.getvalue(), "catalogue.xlsx", XLSX_CONTENT_TYPE)
    assert (started["status"], started["file_format"], started["processed_rows"]) == ("pending", "xlsx", 0)
    done = client.advance_catalogue_import(started["import_id"], 100)

    assert (done["status"], done["total_rows"], done["processed_rows"], done["percent_done"]) == (
        "done", 2500, 2500, 100)
    assert (done["created"], done["updated"], done["rejected"]) == (2496, 1, 3)
    assert [(bad["line"], bad["field"]) for bad in done["bad_rows"]] == [
        (11, "part_number"), (101, "cost_price"), (1001, "shelf_life_days")]
    assert done["bad_rows"][1]["reason"] == "Not a valid number."
    updated = client.get_part(f"{tag}-000007")
    assert (updated["name"], updated["cost_price"], updated["retail_price"], updated["workshop_price"]) == (
        "机油 5W-30", "40.50", "68.00", "2.00")  # the file has no workshop_price column: the part keeps its own
    part = client.get_part(f"{tag}-002499")
    assert (part["fitment"], part["unit"], part["shelf_life_days"], part["category"]) == (
        ["Camry", "Corolla"], "litre", 730, "fluids")
    with pytest.raises(NotFound):
        client.get_part(f"{tag}-000099")

    event = events.wait_for("catalogue_imported", lambda e: e["payload"]["import_id"] == started["import_id"])
    assert event["payload"] == {"import_id": started["import_id"], "filename": "catalogue.xlsx", "status": "done",
                                "total_rows": 2500, "created": 2496, "updated": 1, "rejected": 3}
    assert event["site_id"] == "*"


def test_progress_moves_chunk_by_chunk(client):
    started = upload(client, csv_bytes(catalogue(3500)))
    assert client.get_catalogue_import(started["import_id"])["total_rows"] is None

    first = client.advance_catalogue_import(started["import_id"], 1)
    assert (first["status"], first["total_rows"], first["processed_rows"], first["percent_done"]) == (
        "running", 3500, 1000, 28)
    assert first["started_at"] and first["finished_at"] is None
    second = client.advance_catalogue_import(started["import_id"], 2)
    assert (second["status"], second["processed_rows"], second["created"], second["percent_done"]) == (
        "running", 3000, 3000, 85)
    last = client.advance_catalogue_import(started["import_id"], 5)
    assert (last["status"], last["processed_rows"], last["created"], last["percent_done"]) == (
        "done", 3500, 3500, 100)
    assert client.advance_catalogue_import(started["import_id"], 1) == last  # nothing left to do
    recent = client.list_catalogue_imports({"limit": 5})
    assert recent[0]["import_id"] == started["import_id"] and "bad_rows" not in recent[0]
    assert [job["import_id"] for job in client.list_catalogue_imports({"status": "running"})] == []


def test_a_file_missing_a_required_column_is_refused_at_once_naming_it(client):
    columns = [c for c in IMPORT_COLUMNS if c != "retail_price"]
    with pytest.raises(InvalidInput, match="retail_price") as refused:
        upload(client, csv_bytes(catalogue(3), columns=columns))
    assert set(refused.value.details) == {"retail_price"}
    with pytest.raises(InvalidInput) as refused:
        upload(client, csv_bytes(catalogue(3), columns=IMPORT_COLUMNS + ["colour"]))
    assert set(refused.value.details) == {"colour"}
    with pytest.raises(InvalidInput) as refused:
        upload(client, csv_bytes([]))
    assert set(refused.value.details) == {"_body"}
    assert client.list_catalogue_imports({}) == []


def test_a_wrong_or_mislabelled_file_is_refused(client):
    with pytest.raises(InvalidInput) as refused:
        client.start_catalogue_import({"filename": "x.pdf", "content_type": "application/pdf",
                                       "content_base64": "JVBERi0="})
    assert set(refused.value.details) == {"content_type"}
    with pytest.raises(InvalidInput) as refused:
        upload(client, csv_bytes(catalogue(3)), "catalogue.xlsx", XLSX_CONTENT_TYPE)
    assert set(refused.value.details) == {"_body"}
    with pytest.raises(InvalidInput) as refused:
        client.start_catalogue_import({"content_type": CSV_CONTENT_TYPE, "content_base64": "not base64!"})
    assert set(refused.value.details) == {"content_base64"}
    with pytest.raises(NotFound) as unknown:
        client.get_catalogue_import(str(uuid.uuid4()))
    assert set(unknown.value.details) == {"import_id"}
    with pytest.raises(InvalidInput):
        client.advance_catalogue_import(upload(client, csv_bytes(catalogue(3)))["import_id"], 0)


def test_only_the_parts_department_imports(parts, rpc, client):
    technician = rpc(caller=TECHNICIAN).parts
    with pytest.raises(Forbidden):
        upload(technician, csv_bytes(catalogue(3)))
    assert client.list_catalogue_imports({}) == []
    started = upload(client, csv_bytes(catalogue(3)))
    with pytest.raises(Forbidden):
        technician.advance_catalogue_import(started["import_id"], 1)
    assert technician.get_catalogue_import(started["import_id"])["status"] == "pending"


def test_the_same_file_again_while_it_is_being_imported_is_a_conflict(client):
    content = csv_bytes(catalogue(10))
    first = upload(client, content)
    with pytest.raises(Conflict, match=first["import_id"]):
        upload(client, content)
    client.advance_catalogue_import(first["import_id"], 5)
    again = client.advance_catalogue_import(upload(client, content)["import_id"], 5)
    assert (again["status"], again["created"], again["updated"]) == ("done", 0, 10)


def test_an_update_replaces_the_columns_the_file_has_and_keeps_the_rest_and_the_stock(client):
    number = f"{prefix()}-1"
    client.create_part({"part_number": number, "name": "刹车片", "category": "brakes", "fitment": ["Camry"],
                        "cost_price": "100.00", "retail_price": "180.00", "workshop_price": "170.00"})
    client.receive_stock({"site_id": "SITE-1", "part_number": number, "quantity": "6"})
    content = csv_bytes([{"part_number": number, "name": "刹车片(前)", "cost_price": "110", "retail_price": "190"}],
                        columns=["part_number", "name", "cost_price", "retail_price"])
    done = client.advance_catalogue_import(upload(client, content)["import_id"], 5)
    assert (done["created"], done["updated"]) == (0, 1)
    part = client.get_part(number)
    assert (part["name"], part["cost_price"], part["retail_price"]) == ("刹车片(前)", "110.00", "190.00")
    assert (part["workshop_price"], part["category"], part["fitment"], part["active"]) == (
        "170.00", "brakes", ["Camry"], True)
    assert client.get_stock("SITE-1", number)["on_hand"] == "6.00"


def test_the_last_row_of_a_repeated_part_number_wins_and_the_earlier_one_is_reported(client):
    tag = prefix()
    rows = catalogue(3, tag=tag) + [part_row(f"{tag}-000001", retail_price="99.00")]
    done = client.advance_catalogue_import(upload(client, csv_bytes(rows))["import_id"], 5)
    assert (done["created"], done["rejected"], done["total_rows"]) == (3, 1, 4)
    [bad] = done["bad_rows"]
    assert (bad["line"], bad["field"]) == (3, "part_number") and "line 5" in bad["reason"]
    assert client.get_part(f"{tag}-000001")["retail_price"] == "99.00"


def test_supersession_may_point_anywhere_in_the_file_but_not_nowhere_nor_round(client):
    tag = prefix()
    rows = [part_row(f"{tag}-OLD", superseded_by=f"{tag}-NEW"),      # line 2: successor further down
            part_row(f"{tag}-X", superseded_by=f"{tag}-NOWHERE"),    # line 3
            part_row(f"{tag}-SELF", superseded_by=f"{tag}-SELF"),    # line 4
            part_row(f"{tag}-A", superseded_by=f"{tag}-B"),          # line 5: A -> B -> A
            part_row(f"{tag}-B", superseded_by=f"{tag}-A"),          # line 6
            part_row(f"{tag}-NEW")]                                  # line 7
    done = client.advance_catalogue_import(upload(client, csv_bytes(rows))["import_id"], 5)
    assert [(bad["line"], bad["field"]) for bad in done["bad_rows"]] == [
        (3, "superseded_by"), (4, "superseded_by"), (5, "superseded_by"), (6, "superseded_by")]
    assert "loop" in done["bad_rows"][2]["reason"]
    assert (done["created"], done["rejected"]) == (2, 4)
    assert client.current_part(f"{tag}-OLD")["part_number"] == f"{tag}-NEW"


def test_a_file_unreadable_part_way_keeps_the_rows_before_and_fails(client, subscribe):
    events = subscribe(("parts.events", "catalogue_imported"))
    good = csv_bytes(catalogue(3))
    content = good + b"BROKEN-1,\"" + b"x" * 200_000 + b"\"\r\n" + csv_bytes(catalogue(2)).split(b"\r\n", 1)[1]
    done = client.advance_catalogue_import(upload(client, content)["import_id"], 5)
    assert (done["status"], done["total_rows"], done["created"]) == ("failed", 3, 3)
    assert "line 5" in done["failure"]
    event = events.wait_for("catalogue_imported", lambda e: e["payload"]["import_id"] == done["import_id"])
    assert (event["payload"]["status"], event["payload"]["created"]) == ("failed", 3)


def test_an_import_stopped_half_way_resumes_after_a_restart(container_factory, service_config, rpc, subscribe,
                                                            databases):
    events = subscribe(("parts.events", "catalogue_imported"))
    database = databases.fresh_url("imports_restart")
    first = container_factory(PartsService, service_config("parts", database, CATALOGUE_IMPORT_IN_BACKGROUND=False))
    first.start()
    client = rpc(timeout=60).parts
    rows = catalogue(5000)
    for line in (10, 2500, 4999):
        rows[line - 2]["retail_price"] = "free"
    started = upload(client, csv_bytes(rows))
    half = client.advance_catalogue_import(started["import_id"], 2)
    assert (half["status"], half["processed_rows"], half["created"], half["rejected"]) == ("running", 2000, 1999, 1)
    first.stop()

    second = container_factory(PartsService, service_config("parts", database))  # the timer takes over
    second.start()
    def finished():
        job = client.get_catalogue_import(started["import_id"])
        return job if job["status"] == "done" else None

    done = wait_until(finished, timeout=60, message="import done after restart")
    assert (done["total_rows"], done["processed_rows"], done["created"], done["updated"], done["rejected"]) == (
        5000, 5000, 4997, 0, 3)
    assert [bad["line"] for bad in done["bad_rows"]] == [10, 2500, 4999]
    assert count_rows(second, "SELECT count(*) FROM parts") == 4997
    assert count_rows(second, "SELECT count(*) FROM catalogue_import_rows") == 0
    events.wait_for("catalogue_imported", lambda e: e["payload"]["import_id"] == started["import_id"])
    assert len(events.events("catalogue_imported")) == 1


def test_two_replicas_share_the_work_and_never_count_a_row_twice(container_factory, service_config, rpc, subscribe,
                                                                databases):
    events = subscribe(("parts.events", "catalogue_imported"))
    database = databases.fresh_url("imports_replicas")
    replicas = [container_factory(PartsService, service_config("parts", database, CATALOGUE_IMPORT_CHUNK_ROWS=250,
                                                               CATALOGUE_IMPORT_TICK_SECONDS=0.2))
                for _ in range(2)]
    for replica in replicas:
        replica.start()
    client = rpc(timeout=60).parts
    jobs = [upload(client, csv_bytes(catalogue(3000, tag=f"R{n}")))["import_id"] for n in range(3)]
    for job in jobs:  # on-demand steps racing the timers of both replicas
        client.advance_catalogue_import.call_async(job, 3)

    def all_done():
        found = [client.get_catalogue_import(job) for job in jobs]
        return found if all(job["status"] == "done" for job in found) else None

    for done in wait_until(all_done, timeout=90, message="three imports done"):
        assert (done["processed_rows"], done["created"], done["updated"], done["rejected"]) == (3000, 3000, 0, 0)
    assert count_rows(replicas[0], "SELECT count(*) FROM parts") == 9000
    for job in jobs:
        events.wait_for("catalogue_imported", lambda e, job=job: e["payload"]["import_id"] == job)
    assert sorted(e["payload"]["import_id"] for e in events.events("catalogue_imported")) == sorted(jobs)


def test_an_import_works_the_same_on_sqlite_the_zero_setup_default(container_factory, service_config, rpc, tmp_path):
    sqlite_url = f"sqlite:///{tmp_path / 'parts.db'}"
    config = service_config("parts", sqlite_url, CATALOGUE_IMPORT_IN_BACKGROUND=False)
    container = container_factory(PartsService, config)
    container.start()
    client = rpc(timeout=60).parts
    tag = prefix()
    client.create_part({"part_number": f"{tag}-000001", "name": "旧", "cost_price": "1.00", "retail_price": "2.00"})
    rows = catalogue(2500, tag=tag)
    rows[3]["cost_price"] = "-1"
    done = client.advance_catalogue_import(upload(client, csv_bytes(rows))["import_id"], 10)
    assert (done["status"], done["created"], done["updated"], done["rejected"]) == ("done", 2498, 1, 1)
    assert [(bad["line"], bad["field"]) for bad in done["bad_rows"]] == [(5, "cost_price")]
    assert client.get_part(f"{tag}-000001")["workshop_price"] == "33.00"


def test_a_row_the_database_refuses_costs_its_chunk_none_of_the_good_rows(parts, client):
    engine = create_engine_for(parts.config["DATABASE_URL"])
    with engine.begin() as conn:  # a rule the rows' validation does not know about
        conn.execute(text("ALTER TABLE parts ADD CONSTRAINT test_refuses_a_name CHECK (name <> 'REFUSED')"))
    engine.dispose()
    rows = catalogue(1500)
    rows[1200]["name"] = "REFUSED"
    done = client.advance_catalogue_import(upload(client, csv_bytes(rows))["import_id"], 5)
    assert (done["status"], done["created"], done["rejected"]) == ("done", 1499, 1)
    [bad] = done["bad_rows"]
    assert (bad["line"], bad["field"]) == (1202, "_row") and bad["reason"].startswith("The database refused the row")
    assert count_rows(parts, "SELECT count(*) FROM parts") == 1499


def test_an_unexpected_error_fails_the_import_once_and_says_why(client, subscribe, monkeypatch):
    import parts.api.imports as imports_api

    events = subscribe(("parts.events", "catalogue_imported"))
    real = imports_api.part_from_row

    def breaks_on_a_row(columns, cells):
        if cells[0].endswith("-001500"):
            raise RuntimeError("a bug met row 1500")
        return real(columns, cells)

    monkeypatch.setattr(imports_api, "part_from_row", breaks_on_a_row)
    started = upload(client, csv_bytes(catalogue(2500)))
    failed = client.advance_catalogue_import(started["import_id"], 5)
    assert (failed["status"], failed["processed_rows"], failed["created"]) == ("failed", 1000, 1000)
    assert failed["failure"] == "Stopped by an unexpected error: RuntimeError: a bug met row 1500"
    assert client.advance_catalogue_import(started["import_id"], 5) == failed
    event = events.wait_for("catalogue_imported", lambda e: e["payload"]["import_id"] == started["import_id"])
    assert (event["payload"]["status"], event["payload"]["created"]) == ("failed", 1000)
