"""The dialects: the APIs of the products behind the smallbiz, Zoho and Sage documents, served
over the same services. Each is mounted under a prefix that stands in for its product's base
URL, so that a client of that product works by changing its base URL and its credentials
(authentication and company selection are the canonical API's). A dialect parses its
product's requests into the services' typed values, calls one service function, and renders
the views and the errors in its product's shape; it holds no rule of its own."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter

from stockkeeper.api.problems import ErrorShape


@dataclass(frozen=True)
class Dialect:
    """A product's API: the prefix it is served under, its routes and its error shape."""

    name: str
    prefix: str
    router: APIRouter
    error_shape: ErrorShape
