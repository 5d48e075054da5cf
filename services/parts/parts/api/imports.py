"""Catalogue import from CSV or XLSX: tens of thousands of rows, progress, bad rows by line.

`start_catalogue_import` checks the file's header, keeps the file and answers at once. The
work is done in steps, each in its own transaction: the first step reads the file into
`catalogue_import_rows`, every later one imports the next chunk of those rows (one upsert
statement), records the bad rows and the progress, and commits. The timer takes steps every
second on whichever replica claims the job first (FOR UPDATE SKIP LOCKED: a job being worked
on is skipped by the others); `advance_catalogue_import` takes steps on demand.
What a row means is documented in contracts/parts/imports.py.
"""
import base64
import binascii
import hashlib
import logging
import time

import eventlet
from nameko.rpc import rpc
from nameko.timer import timer
from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, OperationalError

from contracts.parts import (
    CATALOGUE_IMPORTED, MAX_BAD_ROWS_SHOWN, CatalogueImportQuery, CatalogueImportSummary, CatalogueImportView,
    CatalogueUpload,
)
from parts.models import Part
from parts.models.imports import (
    DONE, FAILED, PENDING, RUNNING, CatalogueImport, CatalogueImportProblem, CatalogueImportRow,
)
from parts.rules.catalogue_file import (
    ROW, UnreadableFile, file_format, header_columns, imported_columns, part_from_row, read_lines,
)
from svckit.auth import ALL_SITES
from svckit.db import utcnow
from svckit.errors import Conflict, InvalidInput, NotFound
from svckit.schemas import load

log = logging.getLogger(__name__)

DEFAULT_CHUNK_ROWS = 1000
DEFAULT_TICK_SECONDS = 1.0  # one timer tick keeps taking chunks (each committed) for about this long
STAGING_BATCH = 2000
MAX_SUPERSESSION_HOPS = 100
MAX_CHUNKS_ON_DEMAND = 1000


class CatalogueImportApi:
    @rpc
    def start_catalogue_import(self, payload):
        """Keep an uploaded catalogue file and answer at once (pending); the rows are imported in the background."""
        self.auth.require_role("parts_clerk")
        upload = load(CatalogueUpload, payload)
        try:
            content = base64.b64decode(upload["content_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput("The file is not base64 encoded.", {"content_base64": ["Not base64."]}) from None
        if not content:
            raise InvalidInput("The file is empty.", {"_body": ["Empty."]})
        kind = file_format(upload["content_type"], content)
        columns = _checked_header(content, kind)
        digest = hashlib.sha256(content).hexdigest()
        already = self.db.scalars(select(CatalogueImport.id).where(
            CatalogueImport.content_sha256 == digest, CatalogueImport.status.in_((PENDING, RUNNING)))).first()
        if already:
            raise Conflict(f"The same file is being imported already (import {already}).",
                           {"import_id": [already]})
        job = self.db.add(CatalogueImport(
            filename=upload["filename"], file_format=kind, content=content, content_sha256=digest, columns=columns,
            status=PENDING, processed_rows=0, created_parts=0, updated_parts=0, rejected_rows=0,
            uploaded_by=self.auth.username, uploaded_at=utcnow()))
        self.db.commit()
        log.info("catalogue import %s of %s (%s, %d bytes) by %s", job.id, job.filename, kind, len(content),
                 job.uploaded_by)
        return self._import_view(job)

    @rpc
    def get_catalogue_import(self, import_id):
        return self._import_view(self._import(import_id))

    @rpc
    def list_catalogue_imports(self, payload=None):
        query = load(CatalogueImportQuery, payload)
        statement = select(CatalogueImport).order_by(CatalogueImport.uploaded_at.desc()).limit(query["limit"])
        if query["status"]:
            statement = statement.where(CatalogueImport.status == query["status"])
        return [self._import_view(job, summary=True) for job in self.db.scalars(statement)]

    @rpc
    def advance_catalogue_import(self, import_id, chunks=1):
        """Import up to `chunks` chunks of an import now, reading its file first if need be (the timer does
        the same every second); answers the import as it then stands."""
        self.auth.require_role("parts_clerk")
        if not isinstance(chunks, int) or isinstance(chunks, bool) or not 1 <= chunks <= MAX_CHUNKS_ON_DEMAND:
            raise InvalidInput(f"chunks must be a whole number from 1 to {MAX_CHUNKS_ON_DEMAND}.",
                               {"chunks": [f"Between 1 and {MAX_CHUNKS_ON_DEMAND}."]})
        self._import(import_id)
        imported = 0
        while imported < chunks:
            job = self._claim_import(import_id)
            if job is None:  # finished, or another worker has it right now
                break
            imported += self._take_step(job)
        return self.get_catalogue_import(import_id)

    @timer(interval=1)
    def work_on_catalogue_imports(self):
        """Every second: steps of the oldest unfinished import, each committed, for about a second."""
        if str(self.config.get("CATALOGUE_IMPORT_IN_BACKGROUND", True)).lower() in ("false", "0", "no", "off"):
            return
        deadline = time.monotonic() + float(self.config.get("CATALOGUE_IMPORT_TICK_SECONDS", DEFAULT_TICK_SECONDS))
        while True:
            job = self._claim_import()
            if job is None:
                return
            self._take_step(job)
            if time.monotonic() >= deadline:
                return

    # --- the steps ---

    def _claim_import(self, import_id=None):
        """Lock the oldest unfinished import (or this one) for this transaction; None if none is free."""
        statement = (select(CatalogueImport).where(CatalogueImport.status.in_((PENDING, RUNNING)))
                     .order_by(CatalogueImport.uploaded_at).limit(1)
                     .with_for_update(skip_locked=True).execution_options(populate_existing=True))
        if import_id is not None:
            statement = statement.where(CatalogueImport.id == import_id)
        return self.db.scalars(statement).first()

    def _take_step(self, job):
        """Read the file (the first step) or import its next chunk, and commit; True when a chunk was imported.

        A file that cannot be read fails the import (the rows before stay imported). A chunk the
        database refuses as a whole is taken again part by part, so the good rows are kept.
        """
        job_id = job.id
        try:
            if job.status == PENDING:
                self._read_file(job)
                self.db.commit()
                return False
            try:
                self._import_chunk(job)
            except DBAPIError as exc:
                if isinstance(exc, OperationalError):
                    raise
                self.db.rollback()
                job = self._claim_import(job_id)
                if job is None:
                    return False
                self._import_chunk(job, careful=True)
            self.db.commit()
            return True
        except OperationalError:
            self.db.rollback()  # the database is away or a deadlock: the next step tries again
            raise
        except Exception as exc:
            self.db.rollback()
            log.exception("catalogue import %s failed", job_id)
            self._fail(job_id, f"Stopped by an unexpected error: {type(exc).__name__}: {exc}")
        return False

    def _read_file(self, job):
        columns = job.columns
        part_number_at = columns.index("part_number")
        superseded_by_at = columns.index("superseded_by") if "superseded_by" in columns else None
        lines = read_lines(job.content, job.file_format)
        batch, total = [], 0
        try:
            next(lines)  # the header, checked on upload
            for line, cells in lines:
                total += 1
                batch.append({"import_id": job.id, "line": line, "cells": cells,
                              "part_number": _cell(cells, part_number_at),
                              "superseded_by": _cell(cells, superseded_by_at)})
                if len(batch) >= STAGING_BATCH:
                    self.db.session.execute(insert(CatalogueImportRow), batch)
                    batch = []
        except UnreadableFile as exc:
            job.failure = str(exc)[:500]  # the rows read so far are imported; then the import fails
        if batch:
            self.db.session.execute(insert(CatalogueImportRow), batch)
        job.total_rows = total
        job.status = RUNNING
        job.started_at = utcnow()
        if total == 0:
            self._finish(job)

    def _import_chunk(self, job, careful=False):
        limit = int(self.config.get("CATALOGUE_IMPORT_CHUNK_ROWS", DEFAULT_CHUNK_ROWS))
        rows = self.db.scalars(select(CatalogueImportRow).where(CatalogueImportRow.import_id == job.id)
                               .order_by(CatalogueImportRow.line).limit(limit)).all()
        if not rows:
            self._finish(job)
            return
        numbers = {row.part_number for row in rows if row.part_number}
        last_line_of = dict(self.db.execute(
            select(CatalogueImportRow.part_number, func.max(CatalogueImportRow.line))
            .where(CatalogueImportRow.import_id == job.id, CatalogueImportRow.part_number.in_(numbers))
            .group_by(CatalogueImportRow.part_number)).all())
        in_catalogue = set(self.db.scalars(select(Part.part_number).where(Part.part_number.in_(numbers))))

        good, problems = {}, []  # good: part number -> (line, fields)
        for position, row in enumerate(rows):
            if position % 100 == 99:
                eventlet.sleep(0)  # validating is CPU work: let the service answer meanwhile
            part, bad = part_from_row(job.columns, row.cells)
            if part is not None and last_line_of.get(row.part_number, row.line) > row.line:
                later = last_line_of[row.part_number]
                reason = f"{row.part_number} is on line {later} again: only the last row of a part number is imported."
                bad = [("part_number", reason)]
            elif part is not None and part["superseded_by"]:
                reason = self._supersession_problem(job, part, good)
                bad = [("superseded_by", reason)] if reason else None
            if bad:
                problems.append((row.line, bad))
            else:
                good[part["part_number"]] = (row.line, part)

        if good:
            fields = imported_columns(job.columns)
            if careful:
                for number, (line, part) in list(good.items()):
                    refused = self._upsert_one(part, fields)
                    if refused:
                        del good[number]
                        problems.append((line, [(ROW, refused)]))
            else:
                upsert_parts(self.db.session, [part for _, part in good.values()], fields)

        if problems:
            self.db.session.execute(insert(CatalogueImportProblem), [
                {"import_id": job.id, "line": line, "field": field, "reason": reason}
                for line, bad in problems for field, reason in bad])
        self.db.execute(delete(CatalogueImportRow).where(CatalogueImportRow.import_id == job.id,
                                                         CatalogueImportRow.line <= rows[-1].line))
        created = sum(1 for number in good if number not in in_catalogue)
        job.created_parts += created
        job.updated_parts += len(good) - created
        job.rejected_rows += len(problems)
        job.processed_rows += len(rows)
        if job.processed_rows >= job.total_rows:
            self._finish(job)

    def _upsert_one(self, part, fields):
        """Upsert one part in a savepoint: None, or why the database refused it."""
        try:
            with self.db.session.begin_nested():
                upsert_parts(self.db.session, [part], fields)
        except OperationalError:
            raise
        except DBAPIError as exc:
            return f"The database refused the row: {str(exc.orig).splitlines()[0][:200]}"
        return None

    def _finish(self, job):
        job.status = FAILED if job.failure else DONE
        job.finished_at = utcnow()
        self._announce(job)
        log.info("catalogue import %s %s: %d created, %d updated, %d rejected of %d rows", job.id,
                 job.status, job.created_parts, job.updated_parts, job.rejected_rows, job.total_rows)

    def _fail(self, job_id, reason):
        job = self._claim_import(job_id)
        if job is None:
            return
        job.status = FAILED
        job.failure = reason[:500]
        job.finished_at = utcnow()
        self._announce(job)
        self.db.commit()
        log.warning("catalogue import %s failed: %s", job_id, job.failure)

    def _announce(self, job):
        self.db.emit(CATALOGUE_IMPORTED, {
            "import_id": job.id, "filename": job.filename, "status": job.status, "total_rows": job.total_rows,
            "created": job.created_parts, "updated": job.updated_parts, "rejected": job.rejected_rows,
        }, site_id=ALL_SITES)

    # --- supersession across the catalogue and the file ---

    def _supersession_problem(self, job, part, good):
        """Why the row's superseded_by cannot be taken, or None.

        The successor must be a part of the catalogue or of this file (its last row there being a good
        part), and following the replacements from it (the file's word over the catalogue's) must not
        come back to this part.
        """
        number, successor = part["part_number"], part["superseded_by"]
        if successor == number:
            return "A part cannot supersede itself."
        if successor not in good and self.db.get(Part, successor) is None:
            row = self._last_row_of(job, successor)
            if row is None or part_from_row(job.columns, row.cells)[0] is None:
                return f"No part {successor} in the catalogue or (as a good row) in this file."
        seen, current = {number}, successor
        for _ in range(MAX_SUPERSESSION_HOPS):
            following = self._successor_of(job, current, good)
            if following is None or following in seen - {number}:
                return None
            if following == number:
                return f"Would make a loop: {successor} is superseded, directly or not, by {number}."
            seen.add(current)
            current = following
        return None

    def _successor_of(self, job, number, good):
        if number in good:
            return good[number][1]["superseded_by"]
        row = self._last_row_of(job, number)
        if row is not None:
            return row.superseded_by or None
        part = self.db.get(Part, number)
        return part.superseded_by if part is not None else None

    def _last_row_of(self, job, number):
        return self.db.scalars(select(CatalogueImportRow).where(
            CatalogueImportRow.import_id == job.id, CatalogueImportRow.part_number == number)
            .order_by(CatalogueImportRow.line.desc()).limit(1)).first()

    # --- reading ---

    def _import(self, import_id):
        job = self.db.get(CatalogueImport, str(import_id))
        if job is None:
            raise NotFound(f"No catalogue import {import_id}.", {"import_id": ["Unknown import."]})
        return job

    def _import_view(self, job, summary=False):
        if job.status == DONE:
            percent = 100
        elif job.total_rows:
            percent = job.processed_rows * 100 // job.total_rows
        else:
            percent = 0
        view = {
            "import_id": job.id, "filename": job.filename, "file_format": job.file_format, "status": job.status,
            "total_rows": job.total_rows, "processed_rows": job.processed_rows, "created": job.created_parts,
            "updated": job.updated_parts, "rejected": job.rejected_rows, "percent_done": percent,
            "failure": job.failure, "uploaded_by": job.uploaded_by, "uploaded_at": job.uploaded_at,
            "started_at": job.started_at, "finished_at": job.finished_at,
        }
        if summary:
            return CatalogueImportSummary().dump(view)
        of_job = CatalogueImportProblem.import_id == job.id
        view["bad_rows"] = self.db.scalars(select(CatalogueImportProblem).where(of_job).order_by(
            CatalogueImportProblem.line, CatalogueImportProblem.field).limit(MAX_BAD_ROWS_SHOWN)).all()
        view["bad_rows_total"] = self.db.execute(
            select(func.count()).select_from(CatalogueImportProblem).where(of_job)).scalar_one()
        return CatalogueImportView().dump(view)


def upsert_parts(session, parts, fields):
    """Insert the parts, or update the `fields` of those already in the catalogue: one statement.

    PostgreSQL and SQLite take INSERT ... ON CONFLICT DO UPDATE; another database gets one
    statement per part through the ORM.
    """
    table = Part.__table__
    now = utcnow()
    records = [{**part, "active": True, "created_at": now} for part in parts]
    changing = [field for field in fields if field != "part_number"]
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.part_number], set_={field: statement.excluded[field] for field in changing})
        session.execute(statement, records)  # sent as one multi-row INSERT (SQLAlchemy's "insertmanyvalues")
        return
    existing = {part.part_number: part for part in session.scalars(
        select(Part).where(Part.part_number.in_([r["part_number"] for r in records])))}
    for record in records:
        part = existing.get(record["part_number"])
        if part is None:
            session.add(Part(**record))
        else:
            for field in changing:
                setattr(part, field, record[field])
    session.flush()


def _checked_header(content, kind):
    """The file's columns; refuses at once a file whose header cannot be imported or that has no rows."""
    lines = read_lines(content, kind)
    try:
        header = next(lines, None)
        if header is None:
            raise InvalidInput("The file is empty.", {"_body": ["No header line."]})
        columns = header_columns(header[1])
        if next(lines, None) is None:
            raise InvalidInput("The file has no rows under its header.", {"_body": ["No rows to import."]})
    except UnreadableFile as exc:
        raise InvalidInput(str(exc), {"_body": [str(exc)]}) from None
    finally:
        lines.close()
    return columns


def _cell(cells, position):
    if position is None or position >= len(cells):
        return None
    return cells[position][:100] or None
