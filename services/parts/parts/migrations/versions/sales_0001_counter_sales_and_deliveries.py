"""counter sales to retail and trade customers, their invoice counters, and delivery orders

Revision ID: sales_0001
Revises: b1d2e3f4a5c6
Create Date: 2026-11-27 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'sales_0001'
down_revision = 'b1d2e3f4a5c6'
branch_labels = ('sales',)
depends_on = None


def upgrade():
    op.create_table('sales_trade_accounts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('contact_name', sa.String(length=100), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('discount_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_trade_accounts')),
    sa.UniqueConstraint('site_id', 'name', name=op.f('uq_sales_trade_accounts_site_id'))
    )
    op.create_index(op.f('ix_sales_trade_accounts_site_id'), 'sales_trade_accounts', ['site_id'], unique=False)
    op.create_table('counter_sale_invoice_counters',
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('site_id', 'year', name=op.f('pk_counter_sale_invoice_counters'))
    )
    op.create_table('counter_sales',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('trade_account_id', sa.String(length=36), nullable=True),
    sa.Column('customer_name', sa.String(length=100), nullable=True),
    sa.Column('customer_phone', sa.String(length=20), nullable=True),
    sa.Column('trade_discount_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('vat_rate', sa.Numeric(precision=5, scale=4), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('subtotal', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('discount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('net', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('vat', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('invoice_number', sa.String(length=50), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('ordered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('picked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('invoiced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['trade_account_id'], ['sales_trade_accounts.id'], name=op.f('fk_counter_sales_trade_account_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counter_sales')),
    sa.UniqueConstraint('invoice_number', name=op.f('uq_counter_sales_invoice_number'))
    )
    op.create_index('ix_counter_sales_site_status', 'counter_sales', ['site_id', 'status'], unique=False)
    op.create_table('counter_sale_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('sale_id', sa.String(length=36), nullable=False),
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('requested_part_number', sa.String(length=40), nullable=False),
    sa.Column('part_number', sa.String(length=40), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('trade_discount_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('discount_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('gross', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('discount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('net', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('vat', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reservation_id', sa.String(length=36), nullable=True),
    sa.Column('unit_cost', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('picked_from', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['part_number'], ['parts.part_number'], name=op.f('fk_counter_sale_lines_part_number')),
    sa.ForeignKeyConstraint(['sale_id'], ['counter_sales.id'], name=op.f('fk_counter_sale_lines_sale_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counter_sale_lines')),
    sa.UniqueConstraint('sale_id', 'position', name=op.f('uq_counter_sale_lines_sale_id'))
    )
    op.create_index(op.f('ix_counter_sale_lines_reservation_id'), 'counter_sale_lines', ['reservation_id'], unique=False)
    op.create_table('sales_delivery_orders',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('sale_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('contact_name', sa.String(length=100), nullable=False),
    sa.Column('contact_phone', sa.String(length=20), nullable=False),
    sa.Column('carrier', sa.String(length=100), nullable=False),
    sa.Column('driver', sa.String(length=100), nullable=True),
    sa.Column('scheduled_for', sa.DateTime(timezone=True), nullable=True),
    sa.Column('proof_of_delivery', sa.String(length=500), nullable=True),
    sa.Column('history', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('out_for_delivery_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['sale_id'], ['counter_sales.id'], name=op.f('fk_sales_delivery_orders_sale_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_delivery_orders')),
    sa.UniqueConstraint('sale_id', name=op.f('uq_sales_delivery_orders_sale_id'))
    )
    op.create_index('ix_sales_delivery_orders_site_status', 'sales_delivery_orders', ['site_id', 'status'], unique=False)


def downgrade():
    op.drop_index('ix_sales_delivery_orders_site_status', table_name='sales_delivery_orders')
    op.drop_table('sales_delivery_orders')
    op.drop_index(op.f('ix_counter_sale_lines_reservation_id'), table_name='counter_sale_lines')
    op.drop_table('counter_sale_lines')
    op.drop_index('ix_counter_sales_site_status', table_name='counter_sales')
    op.drop_table('counter_sales')
    op.drop_table('counter_sale_invoice_counters')
    op.drop_index(op.f('ix_sales_trade_accounts_site_id'), table_name='sales_trade_accounts')
    op.drop_table('sales_trade_accounts')
