"""transfers between the sites of the group: transfers and their lines

Revision ID: transfers_0001
Revises: b1d2e3f4a5c6
Create Date: 2026-11-27 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'transfers_0001'
down_revision = 'b1d2e3f4a5c6'
branch_labels = ('transfers',)
depends_on = None


def upgrade():
    op.create_table('transfers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('to_site_id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('requested_by', sa.String(length=100), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_by', sa.String(length=100), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('shipped_by', sa.String(length=100), nullable=True),
    sa.Column('shipped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_by', sa.String(length=100), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by', sa.String(length=100), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfers'))
    )
    op.create_index('ix_transfers_site_status', 'transfers', ['site_id', 'status'], unique=False)
    op.create_index('ix_transfers_to_site_status', 'transfers', ['to_site_id', 'status'], unique=False)
    op.create_table('transfer_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('transfer_id', sa.String(length=36), nullable=False),
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('part_number', sa.String(length=40), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('reservation_id', sa.String(length=36), nullable=True),
    sa.Column('shipped_quantity', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('unit_cost', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('shipped_batches', sa.JSON(), nullable=False),
    sa.Column('received_quantity', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('lost_quantity', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('discrepancy_reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['part_number'], ['parts.part_number'], name=op.f('fk_transfer_lines_part_number')),
    sa.ForeignKeyConstraint(['transfer_id'], ['transfers.id'], name=op.f('fk_transfer_lines_transfer_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer_lines'))
    )
    op.create_index(op.f('ix_transfer_lines_transfer_id'), 'transfer_lines', ['transfer_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_transfer_lines_transfer_id'), table_name='transfer_lines')
    op.drop_table('transfer_lines')
    op.drop_index('ix_transfers_to_site_status', table_name='transfers')
    op.drop_index('ix_transfers_site_status', table_name='transfers')
    op.drop_table('transfers')
