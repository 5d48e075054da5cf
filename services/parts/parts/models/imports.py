"""Tables of the imports area: a catalogue import job, its rows waiting to be processed, its bad rows.

The job keeps the uploaded file. Its first step reads the file into `catalogue_import_rows`
(one row per line under the header); every later step takes the next chunk of those rows in
line order, imports it, records the bad rows and the progress, and deletes the chunk, all in
one transaction. So a job stopped anywhere resumes at the first line it had not committed.
"""
from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from parts.models.base import Base
from svckit.db import UtcDateTime, new_id, utcnow

PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"


class CatalogueImport(Base):
    __tablename__ = "catalogue_imports"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    filename: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(10))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    content_sha256: Mapped[str] = mapped_column(String(64), index=True)
    columns: Mapped[list] = mapped_column(JSON, default=list)  # header names in file order, None where blank
    status: Mapped[str] = mapped_column(String(20), default=PENDING, index=True)
    total_rows: Mapped[int | None] = mapped_column(Integer)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    created_parts: Mapped[int] = mapped_column(Integer, default=0)
    updated_parts: Mapped[int] = mapped_column(Integer, default=0)
    rejected_rows: Mapped[int] = mapped_column(Integer, default=0)
    failure: Mapped[str | None] = mapped_column(String(500))
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at = mapped_column(UtcDateTime(), default=utcnow, index=True)
    started_at = mapped_column(UtcDateTime(), nullable=True)
    finished_at = mapped_column(UtcDateTime(), nullable=True)


class CatalogueImportRow(Base):
    """A line of the file not yet imported: its cells as read, and two of them for quick look-ups."""
    __tablename__ = "catalogue_import_rows"
    __table_args__ = (Index("ix_catalogue_import_rows_part", "import_id", "part_number"),)

    import_id: Mapped[str] = mapped_column(ForeignKey("catalogue_imports.id"), primary_key=True)
    line: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    part_number: Mapped[str | None] = mapped_column(String(100))
    superseded_by: Mapped[str | None] = mapped_column(String(100))
    cells: Mapped[list] = mapped_column(JSON)


class CatalogueImportProblem(Base):
    """One bad field of one line: the line is the row number a spreadsheet shows (header = 1)."""
    __tablename__ = "catalogue_import_problems"

    import_id: Mapped[str] = mapped_column(ForeignKey("catalogue_imports.id"), primary_key=True)
    line: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    field: Mapped[str] = mapped_column(String(50), primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
