"""dispatch: the reason of a clock-off, and one open clock entry per technician

Revision ID: 7d3a9c2e5f10
Revises: 7c3e9a41f2d5
Create Date: 2026-11-27 10:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '7d3a9c2e5f10'
down_revision = '7c3e9a41f2d5'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('clock_entries', sa.Column('end_reason', sa.String(length=20), nullable=True))
    op.create_index('uq_clock_entries_open_technician_id', 'clock_entries', ['technician_id'], unique=True,
                    postgresql_where=sa.text('ended_at IS NULL'), sqlite_where=sa.text('ended_at IS NULL'))


def downgrade():
    op.drop_index('uq_clock_entries_open_technician_id', table_name='clock_entries')
    op.drop_column('clock_entries', 'end_reason')
