"""Catalogue import from CSV or XLSX: tens of thousands of rows, progress, bad rows by line."""
from apigateway.http import api
from contracts import parts as c

COLUMNS = ", ".join(f"{name}*" if name in c.REQUIRED_IMPORT_COLUMNS else name for name in c.IMPORT_COLUMNS)


class PartsImportsRoutes:
    @api("POST", "/api/v1/parts/imports", tag="parts", upload=c.IMPORT_CONTENT_TYPES, answer=c.CatalogueImportView,
         status=202, summary="Import a parts catalogue from a CSV or XLSX file sent as the body (?filename= names it). "
         f"Header line, then one part a line; columns (case-insensitive, * required): {COLUMNS}. fitment lists "
         "models separated by ';'. A part already in the catalogue is updated. Answers at once; follow the "
         "progress and the bad rows at GET /api/v1/parts/imports/{import_id}")
    def start_catalogue_import(self, upload):
        return self.parts.start_catalogue_import(upload)

    @api("GET", "/api/v1/parts/imports", tag="parts", query=c.CatalogueImportQuery, answer=c.CatalogueImportSummary,
         many=True, summary="Recent catalogue imports, newest first")
    def list_catalogue_imports(self, query):
        return self.parts.list_catalogue_imports(query)

    @api("GET", "/api/v1/parts/imports/<import_id>", tag="parts", answer=c.CatalogueImportView,
         summary="A catalogue import: status, rows processed of total, created, updated, rejected, and the bad "
                 "rows by line (header = line 1)")
    def get_catalogue_import(self, import_id):
        return self.parts.get_catalogue_import(import_id)
