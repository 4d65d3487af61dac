"""reply quality: each message's reply judged 0-100 with its parts and flags, what later
replies compare with for templates, and the judged replies counted in the message facts

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

FACT_COLUMNS = ('replies', 'reply_score_sum', 'replies_poor', 'replies_boilerplate',
                'replies_evasion', 'replies_on_time')


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
    judged = sa.text('reply_score IS NOT NULL')
    op.create_index('ix_messages_reply_score', 'messages', ['reply_score'],
                    postgresql_where=judged, sqlite_where=judged)
    with op.batch_alter_table('fact_messages_daily', schema=None) as batch_op:
        for name in FACT_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default='0'))


def downgrade():
    op.drop_index('ix_messages_reply_score', table_name='messages')
    with op.batch_alter_table('fact_messages_daily', schema=None) as batch_op:
        for name in reversed(FACT_COLUMNS):
            batch_op.drop_column(name)
    op.drop_index('ix_reply_bands_message_id', table_name='reply_bands')
    op.drop_table('reply_bands')
    op.drop_table('reply_signatures')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('reply_model')
        batch_op.drop_column('reply_quality')
        batch_op.drop_column('reply_score')
