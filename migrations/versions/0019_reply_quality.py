"""reply quality: each message's reply judged 0-100 with its parts and flags, and what later
replies compare with for templates

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07

Replies stored before are judged by `flask rescore --replies` (their reply_model is null).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_score', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reply_quality', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reply_model', sa.String(length=30), nullable=True))
    op.create_table(
        'reply_signatures',
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('reply_minhash', sa.LargeBinary(), nullable=False),
        sa.Column('message_minhash', sa.LargeBinary(), nullable=False),
        sa.Column('parts', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['message_id'], ['messages.id']),
        sa.PrimaryKeyConstraint('message_id'),
    )
    op.create_table(
        'reply_bands',
        sa.Column('band', sa.String(length=24), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['message_id'], ['messages.id']),
        sa.PrimaryKeyConstraint('band', 'message_id'),
    )
    op.create_index('ix_reply_bands_message_id', 'reply_bands', ['message_id'])


def downgrade():
    op.drop_index('ix_reply_bands_message_id', table_name='reply_bands')
    op.drop_table('reply_bands')
    op.drop_table('reply_signatures')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('reply_model')
        batch_op.drop_column('reply_quality')
        batch_op.drop_column('reply_score')
