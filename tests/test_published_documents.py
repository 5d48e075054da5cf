"""The documents integrators read are the ones the code produces."""
import json
import pathlib

from apigateway.openapi import openapi_document
from apigateway.service import GatewayService
from contracts.catalogue import EVENTS, render_markdown

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"


def test_the_event_catalogue_is_up_to_date():
    assert (DOCS / "events.md").read_text().strip() == render_markdown().strip(), \
        "regenerate it: python -m contracts.catalogue > docs/events.md"


def test_the_event_catalogue_lists_every_event_with_its_exchange_and_fields():
    text = (DOCS / "events.md").read_text()
    for contract in EVENTS:
        assert f"### {contract.event_type}" in text
        assert f"Exchange `{contract.source}.events`, routing key `{contract.event_type}`" in text
        for field in contract.schema().fields:
            assert f"| `{field}` |" in text, f"{contract.event_type}.{field} is not documented"


def test_the_committed_openapi_document_is_what_the_gateway_serves():
    committed = json.loads((DOCS / "openapi.json").read_text())
    assert committed == openapi_document(GatewayService), \
        "regenerate it: python -m apigateway.openapi > docs/openapi.json"
