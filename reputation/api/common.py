"""What the listening endpoints share: cursor pagination by given fields, ids from the query
string. Writes go through reputation.services and reads through reputation.selectors, so client
roles and API keys see exactly what the dashboard shows them."""

from agency.api.pagination import CursorPagination


def pagination(*fields):
    return type("Pagination", (CursorPagination,), {"ordering": fields})


def int_or_none(value):
    return int(value) if value and str(value).isdigit() else None
