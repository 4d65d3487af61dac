"""a rating's comment keeps its own sentiment label beside the rating's, which follows the stars

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06

Rows scored before keep the label their score had under the neutral band of its time (0.4 and
0.6), which is what 评价负面情绪占比 counted until now; `flask rescore` relabels them with the
model in use.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment_label', sa.String(length=10), nullable=True))
    op.execute(
        "UPDATE ratings SET comment_label = CASE "
        "WHEN sentiment_score < 0.4 THEN 'negative' "
        "WHEN sentiment_score > 0.6 THEN 'positive' ELSE 'neutral' END "
        "WHERE sentiment_score IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_column('comment_label')
