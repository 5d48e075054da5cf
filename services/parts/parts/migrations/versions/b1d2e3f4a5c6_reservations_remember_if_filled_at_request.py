"""reservations remember whether stock covered them when asked (fill rate)

Revision ID: b1d2e3f4a5c6
Revises: 9850c92bed50
Create Date: 2026-11-26 18:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'b1d2e3f4a5c6'
down_revision = '9850c92bed50'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reservations') as batch:
        batch.add_column(sa.Column('filled_at_request', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('reservations') as batch:
        batch.alter_column('filled_at_request', server_default=None)


def downgrade():
    with op.batch_alter_table('reservations') as batch:
        batch.drop_column('filled_at_request')
