"""The products' documents that the dialects' tests replay: copies of the specification's
smallbiz, Zoho, Sage and Codat documents, kept beside the tests as the contracts under test."""

from __future__ import annotations

from pathlib import Path

DOCUMENTS = Path(__file__).resolve().parent / "spec"

SMALLBIZ = DOCUMENTS / "smallbiz-inventory-purchasing-api.txt"
ZOHO = DOCUMENTS / "zoho-inventory-adjustments.schema.json"
SAGE = DOCUMENTS / "sage-accounting-inventory.txt"
CODAT = DOCUMENTS / "codat-accounting-inventory-model.txt"
