"""URL converters for the API's paths."""

from werkzeug.routing import IntegerConverter

#: The largest id the tables' integer keys hold (PostgreSQL integer; SQLite's go further).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """A positive row id. werkzeug's ``int`` matches any length of digits, and an id past the
    column's range made the database raise (a 500: SQLite past 64 bits, PostgreSQL past 32,
    found by fuzzing); a longer one no longer matches, a larger one is refused: a 404."""

    regex = r"\d{1,10}"

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, *args, min=1, max=MAX_ID, **kwargs)


def id_schema(converter: IdConverter) -> dict:
    return {"type": "integer", "format": "int32", "minimum": 1, "maximum": MAX_ID}
