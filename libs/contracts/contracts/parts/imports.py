"""Catalogue import from CSV or XLSX: tens of thousands of rows, progress, bad rows by line.

A clerk uploads a file; the parts service keeps it and answers at once (status `pending`),
then works through it in the background, 1,000 rows at a time, so the progress moves while
the clerk watches (`running`, rows processed of total, percent done) until it is `done`
(or `failed`, when the file cannot be read past some line: the rows before it are kept).

The file
--------
CSV (UTF-8, with or without BOM, or GB18030/GBK as Chinese Excel saves it; separated by
commas, or by semicolons or tabs when the header line uses those) or XLSX (the first
worksheet). The first line is the header; every further line is one part. Header names are
matched case-insensitively, surrounding spaces ignored, and a space or '-' counts as '_'
("Part Number" is part_number). The columns, * required:

=================  ==============================================================
part_number *      1-40 upper-case letters, digits, '.' or '-' (as the catalogue)
name *             Chinese name, as on the label
name_en            English name
category           filters, brakes, fluids, tyres... ("general" when empty)
brand
fitment            vehicle models, separated by ';' (e.g. "Camry;Corolla")
specification
unit               "piece" when empty
cost_price *       money: at most two decimal places; "1,200.50" is read as 1200.50
retail_price *     price to a counter customer
workshop_price     price on a repair order; the retail price when empty
shelf_life_days    1-3650, for parts kept in batches with an expiry date
superseded_by      the part number that replaces this one: a part in the catalogue or
                   in the same file, not this part, and no loop of replacements
=================  ==============================================================

An unknown column, a column named twice or a missing required column refuses the whole file
at once (400, the column named in details). A file with no row under its header is refused.

Each row is validated like a part created one at a time (`NewPart`). A row whose part number
is already in the catalogue updates that part: the fields whose columns the file has are
replaced (an empty cell meaning what it means for a new part, e.g. an empty workshop_price is
the retail price); fields whose columns the file lacks are kept, and so are the part's stock
and its active flag.

Bad rows are reported as {line, field, reason} and skipped; the good rows are all kept. The
line is the row number as a spreadsheet shows it: the header is line 1, blank lines count.
A row with several bad fields is reported once per field and counted once in `rejected`.
A part number on several rows: the LAST of those rows is the one imported; each earlier one
is reported (field part_number, naming the later line) and counted as rejected. So every
row of the file is counted exactly once: created + updated + rejected = total_rows.
A cell in a column that has no header name (e.g. an unquoted comma in a CSV name) makes the
row bad (field `_row`).
"""
from marshmallow import fields, validate

from contracts.fields import Id, PayloadSchema, StrictSchema
from contracts.parts.catalogue import NewPart
from contracts.parts.common import SOURCE, PartNumber
from svckit.events import EventContract

__all__ = [
    "CatalogueRow", "CatalogueUpload", "CatalogueImportQuery", "CatalogueImportSummary", "CatalogueImportView",
    "BadRowView", "CSV_CONTENT_TYPE", "XLSX_CONTENT_TYPE", "IMPORT_CONTENT_TYPES", "IMPORT_COLUMNS",
    "REQUIRED_IMPORT_COLUMNS", "IMPORT_STATUSES", "MAX_BAD_ROWS_SHOWN", "CATALOGUE_IMPORTED", "EVENTS",
]

CSV_CONTENT_TYPE = "text/csv"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_CONTENT_TYPES = (CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE)
IMPORT_STATUSES = ["pending", "running", "done", "failed"]
MAX_BAD_ROWS_SHOWN = 1000


class CatalogueRow(NewPart):
    """One row of a catalogue file: a new part, or new catalogue fields of an existing one."""
    superseded_by = PartNumber(load_default=None, allow_none=True, metadata={
        "description": "The part number that replaces this one."})


IMPORT_COLUMNS = list(CatalogueRow._declared_fields)
REQUIRED_IMPORT_COLUMNS = [name for name, field in CatalogueRow._declared_fields.items() if field.required]


# --- RPC inputs ---

class CatalogueUpload(StrictSchema):
    """The file as the gateway passes an upload on (raw body, base64 on the wire)."""
    filename = fields.String(load_default="", validate=validate.Length(max=255))
    content_type = fields.String(required=True, validate=validate.OneOf(IMPORT_CONTENT_TYPES))
    content_base64 = fields.String(required=True, validate=validate.Length(min=1))


class CatalogueImportQuery(StrictSchema):
    status = fields.String(load_default=None, validate=validate.OneOf(IMPORT_STATUSES))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


# --- RPC answers ---

class BadRowView(PayloadSchema):
    line = fields.Integer(metadata={"description": "Row number as a spreadsheet shows it; the header is line 1."})
    field = fields.String(metadata={"description": "The column at fault; `_row` for the row as a whole."})
    reason = fields.String()


class CatalogueImportSummary(PayloadSchema):
    import_id = Id()
    filename = fields.String()
    file_format = fields.String(metadata={"description": "csv or xlsx."})
    status = fields.String(metadata={"description": "pending, running, done or failed."})
    total_rows = fields.Integer(allow_none=True, metadata={
        "description": "Rows under the header (blank lines not counted); known once the file has been read."})
    processed_rows = fields.Integer()
    created = fields.Integer(metadata={"description": "Parts new to the catalogue."})
    updated = fields.Integer(metadata={"description": "Parts already in the catalogue, updated."})
    rejected = fields.Integer(metadata={"description": "Rows not imported (bad, or repeated later in the file)."})
    percent_done = fields.Integer()
    failure = fields.String(allow_none=True, metadata={"description": "Why a failed import stopped."})
    uploaded_by = fields.String()
    uploaded_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)


class CatalogueImportView(CatalogueImportSummary):
    bad_rows = fields.List(fields.Nested(BadRowView), metadata={
        "description": f"The bad rows by line, at most the first {MAX_BAD_ROWS_SHOWN}."})
    bad_rows_total = fields.Integer(metadata={"description": "How many bad-row entries there are in all."})


# --- events ---

class CatalogueImportedPayload(PayloadSchema):
    import_id = Id(required=True)
    filename = fields.String(required=True)
    status = fields.String(required=True, metadata={
        "description": "done; failed when the file could not be read to its end or an error stopped the import "
                       "(the chunks imported before are kept)."})
    total_rows = fields.Integer(required=True, allow_none=True)
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    rejected = fields.Integer(required=True)


CATALOGUE_IMPORTED = EventContract(SOURCE, "catalogue_imported", 1, CatalogueImportedPayload,
                                   "A catalogue import finished: how many parts it created and updated, how many "
                                   "rows it rejected. Group-wide: the envelope's site_id is \"*\".")

EVENTS = [CATALOGUE_IMPORTED]
