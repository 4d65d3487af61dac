"""URL converters for the API's paths."""

from werkzeug.routing import IntegerConverter

#: The largest id a database integer column holds (PostgreSQL bigint, SQLite INTEGER).
MAX_ID = 2**63 - 1


class IdConverter(IntegerConverter):
    """A positive row id. werkzeug's ``int`` matches any length of digits, and an id past
    64 bits made SQLite raise OverflowError (a 500); longer ones no longer match: a 404."""

    regex = r"\d{1,18}"

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, *args, min=1, max=MAX_ID, **kwargs)


def id_schema(converter: IdConverter) -> dict:
    return {"type": "integer", "format": "int64", "minimum": 1}
