"""an index of the rows waiting to be scored, for the sweeper and the metrics

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07

The sweeper (every worker, every SWEEP_INTERVAL_SECONDS) and each scrape of /metrics look for
the rows whose sentiment_model is 'pending': without an index that was a scan of every rating
and message. A partial index holds the backlog alone.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

PENDING = sa.text("sentiment_model = 'pending'")


def upgrade():
    for table in ('ratings', 'messages'):
        op.create_index(
            f'ix_{table}_pending_created_at', table, ['created_at'],
            postgresql_where=PENDING, sqlite_where=PENDING,
        )


def downgrade():
    for table in ('ratings', 'messages'):
        op.drop_index(f'ix_{table}_pending_created_at', table_name=table)
