"""a day's recount is asked for by appending a mark, never by updating a shared row

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07

`fact_dirty_days` held one row per (kind, day) whose version every write bumped: concurrent
intake transactions of one day queued on that row's lock until each committed. Marks are now
appended to `fact_dirty_marks` (an id each, no unique key: inserts never wait on each other);
a recount clears the marks up to the highest id it saw. Pending marks are carried over.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('fact_dirty_marks',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fact_dirty_marks'))
    )
    op.create_index('ix_fact_dirty_marks_kind_day', 'fact_dirty_marks', ['kind', 'day', 'id'])
    op.execute("INSERT INTO fact_dirty_marks (kind, day) SELECT kind, day FROM fact_dirty_days")
    op.drop_table('fact_dirty_days')


def downgrade():
    op.create_table('fact_dirty_days',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'day', name=op.f('pk_fact_dirty_days'))
    )
    op.execute(
        "INSERT INTO fact_dirty_days (kind, day, version) "
        "SELECT kind, day, 1 FROM fact_dirty_marks GROUP BY kind, day"
    )
    op.drop_index('ix_fact_dirty_marks_kind_day', table_name='fact_dirty_marks')
    op.drop_table('fact_dirty_marks')
