from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from service.extensions import db


def test_the_migrations_build_exactly_the_models_schema(app):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_a_fresh_database_has_the_regions_of_our_own_data_file(app):
    from analytics.divisions import jiangxi_divisions
    from service.models import Region

    stored = {(r.code, r.name, r.short_name, r.level, r.parent_code) for r in Region.query}
    divisions = jiangxi_divisions()
    assert stored == {(d.code, d.name, d.short_name, d.level, d.parent_code) for d in divisions}
