from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from service.extensions import db


def test_the_migrations_build_exactly_the_models_schema(app):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []
