"""Reading catalogue files and their rows: no broker, no database."""
import io
from decimal import Decimal

import openpyxl
import pytest

from contracts.parts import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from parts.rules.catalogue_file import (
    CSV, XLSX, UnreadableFile, file_format, header_columns, imported_columns, part_from_row, read_lines,
)
from svckit.errors import InvalidInput

HEADER = ["part_number", "name", "cost_price", "retail_price"]


def xlsx(*rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_lines_are_numbered_as_a_spreadsheet_shows_them_and_blank_ones_count():
    content = "part_number,name\r\nA-1,机油滤清器\r\n\r\n\"B-2\",\"Filter, oil\"\r\n,,\r\nC-3, x \r\n".encode()
    assert list(read_lines(content, CSV)) == [
        (1, ["part_number", "name"]), (2, ["A-1", "机油滤清器"]), (4, ["B-2", "Filter, oil"]), (6, ["C-3", "x"])]


def test_csv_from_chinese_excel_in_gbk_and_with_a_utf8_bom_and_semicolons():
    gbk = "part_number,name\nA-1,刹车片\n".encode("gbk")
    assert list(read_lines(gbk, CSV))[1] == (2, ["A-1", "刹车片"])
    bom = "\ufeffpart_number;name;fitment\nA-1;刹车片;\"Camry;Corolla\"\n".encode("utf-8")
    assert list(read_lines(bom, CSV)) == [(1, ["part_number", "name", "fitment"]),
                                          (2, ["A-1", "刹车片", "Camry;Corolla"])]


def test_xlsx_rows_keep_their_row_numbers_and_numbers_become_plain_text():
    content = xlsx(HEADER + ["shelf_life_days"], [], ["A-1", "机油", 20.5, 35, 730.0], [None, None], ["B-2", "x", 1, 2])
    assert list(read_lines(content, XLSX)) == [
        (1, HEADER + ["shelf_life_days"]), (3, ["A-1", "机油", "20.5", "35", "730"]), (5, ["B-2", "x", "1", "2"])]


def test_the_content_type_must_match_the_file():
    assert file_format(CSV_CONTENT_TYPE, b"part_number\n") == CSV
    assert file_format(XLSX_CONTENT_TYPE, xlsx(HEADER)) == XLSX
    with pytest.raises(InvalidInput, match="XLSX") as refused:
        file_format(CSV_CONTENT_TYPE, xlsx(HEADER))
    assert set(refused.value.details) == {"_body"}
    with pytest.raises(InvalidInput) as refused:
        file_format(XLSX_CONTENT_TYPE, b"part_number,name\n")
    assert set(refused.value.details) == {"_body"}


def test_a_broken_xlsx_is_refused_and_a_broken_csv_stops_at_its_line():
    with pytest.raises(InvalidInput):
        list(read_lines(b"PK\x03\x04 not really a zip", XLSX))
    huge = b"part_number,name\nA-1,x\nB-2," + b"x" * 200_000 + b"\n"
    with pytest.raises(UnreadableFile, match="at line 3: field larger"):
        list(read_lines(huge, CSV))


def test_header_names_match_whatever_the_case_spaces_or_dashes():
    assert header_columns(["Part Number", " NAME ", "cost-price", "Retail_Price", "", "Fitment"]) == [
        "part_number", "name", "cost_price", "retail_price", None, "fitment"]


def test_a_header_without_a_required_column_names_it():
    with pytest.raises(InvalidInput, match="retail_price") as refused:
        header_columns(["part_number", "name", "cost_price"])
    assert refused.value.details == {"retail_price": ["Missing column: the header must have it."]}


def test_unknown_and_repeated_columns_are_refused():
    with pytest.raises(InvalidInput) as refused:
        header_columns(HEADER + ["Workshp Price", "name"])
    assert set(refused.value.details) == {"Workshp Price", "name"}


def test_a_good_row_becomes_a_new_part_with_the_defaults_of_new_part():
    columns = header_columns(HEADER + ["fitment", "unit", "workshop_price", "superseded_by"])
    part, problems = part_from_row(columns, ["A-1", "机油滤清器", "1,200.50", "35", "Camry; Corolla ;", "", "", ""])
    assert problems is None
    assert part["fitment"] == ["Camry", "Corolla"]
    assert (part["cost_price"], part["retail_price"], part["workshop_price"]) == (
        Decimal("1200.50"), Decimal("35.00"), Decimal("35.00"))
    assert (part["unit"], part["category"], part["superseded_by"], part["name_en"]) == ("piece", "general", None, None)


def test_a_bad_row_names_each_bad_field_once():
    columns = header_columns(HEADER + ["shelf_life_days"])
    part, problems = part_from_row(columns, ["a-1", "", "12.345", "¥35", "0"])
    assert part is None
    assert sorted(field for field, _ in problems) == [
        "cost_price", "name", "part_number", "retail_price", "shelf_life_days"]
    assert dict(problems)["cost_price"] == "At most two decimal places."


def test_values_beyond_the_header_and_money_beyond_the_column_are_bad():
    columns = header_columns(HEADER)
    part, problems = part_from_row(columns, ["A-1", "Filter", "oil", "20", "35", "x"])
    assert part is None and dict(problems)["_row"].startswith("Has values in column(s) 5, 6")
    part, problems = part_from_row(columns, ["A-1", "Filter", "10000000000.00", "35"])
    assert part is None and [field for field, _ in problems] == ["cost_price"]


def test_an_update_sets_only_the_columns_the_file_has():
    assert imported_columns(header_columns(["retail_price", "name", "part_number", "cost_price", ""])) == [
        "part_number", "name", "cost_price", "retail_price"]
