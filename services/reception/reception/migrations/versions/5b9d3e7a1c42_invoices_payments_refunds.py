"""invoices, payments and refunds (settlement)

Revision ID: 5b9d3e7a1c42
Revises: 6a2f0c9e4b71
Create Date: 2026-11-27 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '5b9d3e7a1c42'
down_revision = '6a2f0c9e4b71'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('invoice_counters',
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('site_id', 'year', name=op.f('pk_invoice_counters'))
    )
    op.create_table('invoices',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('repair_order_id', sa.String(length=36), nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('vehicle_id', sa.String(length=36), nullable=False),
    sa.Column('plate', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('labour_total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('parts_total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('sublet_total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('subtotal', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('warranty_total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('internal_total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('goodwill_total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('discount_total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('vat_rate', sa.Numeric(precision=5, scale=4), nullable=False),
    sa.Column('vat', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('net', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('paid_total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('refunded_total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('void_reason', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoices')),
    sa.UniqueConstraint('number', name=op.f('uq_invoices_number'))
    )
    op.create_index(op.f('ix_invoices_customer_id'), 'invoices', ['customer_id'], unique=False)
    op.create_index('ix_invoices_site_id_created_at', 'invoices', ['site_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_invoices_visit_id'), 'invoices', ['visit_id'], unique=False)
    op.create_index('uq_invoices_live_visit_id', 'invoices', ['visit_id'], unique=True, postgresql_where=sa.text("status <> 'voided'"), sqlite_where=sa.text("status <> 'voided'"))
    op.create_table('invoice_discounts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('invoice_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('applies_to', sa.String(length=10), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_invoice_discounts_invoice_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_discounts'))
    )
    op.create_index(op.f('ix_invoice_discounts_invoice_id'), 'invoice_discounts', ['invoice_id'], unique=False)
    op.create_table('invoice_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('invoice_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('repair_order_line_id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=True),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('pay_type', sa.String(length=10), nullable=False),
    sa.Column('customer_amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_invoice_lines_invoice_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_lines'))
    )
    op.create_index(op.f('ix_invoice_lines_invoice_id'), 'invoice_lines', ['invoice_id'], unique=False)
    op.create_table('invoice_payments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('invoice_id', sa.String(length=36), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_by', sa.String(length=100), nullable=False),
    sa.Column('refunded_amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_invoice_payments_invoice_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_payments'))
    )
    op.create_index(op.f('ix_invoice_payments_invoice_id'), 'invoice_payments', ['invoice_id'], unique=False)
    op.create_table('invoice_refunds',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('payment_id', sa.String(length=36), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('refunded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('refunded_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['payment_id'], ['invoice_payments.id'], name=op.f('fk_invoice_refunds_payment_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_refunds'))
    )
    op.create_index(op.f('ix_invoice_refunds_payment_id'), 'invoice_refunds', ['payment_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_invoice_refunds_payment_id'), table_name='invoice_refunds')
    op.drop_table('invoice_refunds')
    op.drop_index(op.f('ix_invoice_payments_invoice_id'), table_name='invoice_payments')
    op.drop_table('invoice_payments')
    op.drop_index(op.f('ix_invoice_lines_invoice_id'), table_name='invoice_lines')
    op.drop_table('invoice_lines')
    op.drop_index(op.f('ix_invoice_discounts_invoice_id'), table_name='invoice_discounts')
    op.drop_table('invoice_discounts')
    op.drop_index('uq_invoices_live_visit_id', table_name='invoices', postgresql_where=sa.text("status <> 'voided'"), sqlite_where=sa.text("status <> 'voided'"))
    op.drop_index(op.f('ix_invoices_visit_id'), table_name='invoices')
    op.drop_index('ix_invoices_site_id_created_at', table_name='invoices')
    op.drop_index(op.f('ix_invoices_customer_id'), table_name='invoices')
    op.drop_table('invoices')
    op.drop_table('invoice_counters')
