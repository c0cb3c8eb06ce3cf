"""Imports and exports of the catalogue's items (and later stock and prices) as CSV or XLSX."""
