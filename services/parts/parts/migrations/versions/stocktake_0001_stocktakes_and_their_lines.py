"""stocktakes and their lines: count sessions, counts, variances, accuracy

Revision ID: stocktake_0001
Revises: b1d2e3f4a5c6
Create Date: 2026-11-27 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'stocktake_0001'
down_revision = 'b1d2e3f4a5c6'
branch_labels = ('stocktake',)
depends_on = None


def upgrade():
    op.create_table('stocktakes',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('bins', sa.JSON(), nullable=False),
    sa.Column('blind', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('count_round', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('opened_by', sa.String(length=100), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by', sa.String(length=100), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by', sa.String(length=100), nullable=True),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('posted_by', sa.String(length=100), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by', sa.String(length=100), nullable=True),
    sa.Column('line_count', sa.Integer(), nullable=True),
    sa.Column('lines_with_variance', sa.Integer(), nullable=True),
    sa.Column('quantity_variance', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('value_variance', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('gross_value_variance', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('expected_value', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('accuracy', sa.Numeric(precision=5, scale=4), nullable=True),
    sa.Column('value_accuracy', sa.Numeric(precision=5, scale=4), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stocktakes'))
    )
    op.create_index(op.f('ix_stocktakes_site_id'), 'stocktakes', ['site_id'], unique=False)
    op.create_index('ix_stocktakes_site_posted', 'stocktakes', ['site_id', 'posted_at'], unique=False)
    op.create_table('stocktake_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('stocktake_id', sa.String(length=36), nullable=False),
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.String(length=36), nullable=True),
    sa.Column('bin_id', sa.String(length=36), nullable=False),
    sa.Column('warehouse_code', sa.String(length=20), nullable=False),
    sa.Column('bin_code', sa.String(length=20), nullable=False),
    sa.Column('part_number', sa.String(length=40), nullable=False),
    sa.Column('batch', sa.String(length=40), nullable=False),
    sa.Column('expiry_date', sa.Date(), nullable=True),
    sa.Column('found', sa.Boolean(), nullable=False),
    sa.Column('opened_quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('expected_quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('counted_quantity', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('counted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('counted_by', sa.String(length=100), nullable=True),
    sa.Column('count_round', sa.Integer(), nullable=False),
    sa.Column('previous_count', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('recount_reason', sa.String(length=200), nullable=False),
    sa.Column('unit_cost', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('quantity_variance', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('value_variance', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('posted_quantity', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('counting_key', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['bin_id'], ['bins.id'], name=op.f('fk_stocktake_lines_bin_id')),
    sa.ForeignKeyConstraint(['part_number'], ['parts.part_number'], name=op.f('fk_stocktake_lines_part_number')),
    sa.ForeignKeyConstraint(['stocktake_id'], ['stocktakes.id'], name=op.f('fk_stocktake_lines_stocktake_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stocktake_lines')),
    sa.UniqueConstraint('counting_key', name=op.f('uq_stocktake_lines_counting_key')),
    sa.UniqueConstraint('stocktake_id', 'line_no', name=op.f('uq_stocktake_lines_stocktake_id'))
    )


def downgrade():
    op.drop_table('stocktake_lines')
    op.drop_index('ix_stocktakes_site_posted', table_name='stocktakes')
    op.drop_index(op.f('ix_stocktakes_site_id'), table_name='stocktakes')
    op.drop_table('stocktakes')
