"""Stock as the API returns it and its events carry it: one module per resource."""
