"""procurement: suppliers, requests for quotation and bids, purchase orders, goods receipts, purchase plans

Revision ID: procurement_0001
Revises: b1d2e3f4a5c6
"""
from alembic import op
import sqlalchemy as sa


revision = "procurement_0001"
down_revision = "b1d2e3f4a5c6"
branch_labels = ("procurement",)
depends_on = None


def upgrade():
    op.create_table('purchase_plans',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('window_days', sa.Integer(), nullable=False),
    sa.Column('review_days', sa.Integer(), nullable=False),
    sa.Column('service_level_z', sa.Numeric(precision=4, scale=2), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_plans'))
    )
    op.create_index(op.f('ix_purchase_plans_site_id'), 'purchase_plans', ['site_id'], unique=False)
    op.create_table('suppliers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('contacts', sa.JSON(), nullable=False),
    sa.Column('payment_terms', sa.String(length=200), nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppliers')),
    sa.UniqueConstraint('name', name=op.f('uq_suppliers_name'))
    )
    op.create_table('purchase_orders',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('supplier_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('expected_date', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('rfq_id', sa.String(length=36), nullable=True),
    sa.Column('plan_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.String(length=500), nullable=False),
    sa.Column('overdue_alerted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_purchase_orders_supplier_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_orders')),
    sa.UniqueConstraint('number', name=op.f('uq_purchase_orders_number'))
    )
    op.create_index(op.f('ix_purchase_orders_site_id'), 'purchase_orders', ['site_id'], unique=False)
    op.create_index(op.f('ix_purchase_orders_status'), 'purchase_orders', ['status'], unique=False)
    op.create_index(op.f('ix_purchase_orders_supplier_id'), 'purchase_orders', ['supplier_id'], unique=False)
    op.create_table('purchase_plan_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('plan_id', sa.String(length=36), nullable=False),
    sa.Column('part_number', sa.String(length=40), nullable=False),
    sa.Column('supplier_id', sa.String(length=36), nullable=True),
    sa.Column('suggested_quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('purchase_order_id', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['part_number'], ['parts.part_number'], name=op.f('fk_purchase_plan_lines_part_number')),
    sa.ForeignKeyConstraint(['plan_id'], ['purchase_plans.id'], name=op.f('fk_purchase_plan_lines_plan_id')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_purchase_plan_lines_supplier_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_plan_lines')),
    sa.UniqueConstraint('plan_id', 'part_number', name=op.f('uq_purchase_plan_lines_plan_id'))
    )
    op.create_table('rfqs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reply_by', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('awarded_supplier_id', sa.String(length=36), nullable=True),
    sa.Column('award_reason', sa.String(length=500), nullable=False),
    sa.Column('awarded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('awarded_by', sa.String(length=100), nullable=True),
    sa.Column('purchase_order_id', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['awarded_supplier_id'], ['suppliers.id'], name=op.f('fk_rfqs_awarded_supplier_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rfqs')),
    sa.UniqueConstraint('number', name=op.f('uq_rfqs_number'))
    )
    op.create_index(op.f('ix_rfqs_site_id'), 'rfqs', ['site_id'], unique=False)
    op.create_table('goods_receipts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('purchase_order_id', sa.String(length=36), nullable=False),
    sa.Column('supplier_id', sa.String(length=36), nullable=False),
    sa.Column('delivery_note', sa.String(length=100), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('on_time', sa.Boolean(), nullable=False),
    sa.Column('received_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['purchase_order_id'], ['purchase_orders.id'], name=op.f('fk_goods_receipts_purchase_order_id')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_goods_receipts_supplier_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goods_receipts'))
    )
    op.create_index(op.f('ix_goods_receipts_purchase_order_id'), 'goods_receipts', ['purchase_order_id'], unique=False)
    op.create_index(op.f('ix_goods_receipts_received_on'), 'goods_receipts', ['received_on'], unique=False)
    op.create_index(op.f('ix_goods_receipts_site_id'), 'goods_receipts', ['site_id'], unique=False)
    op.create_index(op.f('ix_goods_receipts_supplier_id'), 'goods_receipts', ['supplier_id'], unique=False)
    op.create_table('purchase_order_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('purchase_order_id', sa.String(length=36), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('part_number', sa.String(length=40), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('delivered_quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('accepted_quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('rejected_quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('cancelled_quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('rfq_line_id', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['part_number'], ['parts.part_number'], name=op.f('fk_purchase_order_lines_part_number')),
    sa.ForeignKeyConstraint(['purchase_order_id'], ['purchase_orders.id'], name=op.f('fk_purchase_order_lines_purchase_order_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_order_lines'))
    )
    op.create_index(op.f('ix_purchase_order_lines_part_number'), 'purchase_order_lines', ['part_number'], unique=False)
    op.create_index(op.f('ix_purchase_order_lines_purchase_order_id'), 'purchase_order_lines', ['purchase_order_id'], unique=False)
    op.create_table('rfq_bids',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rfq_id', sa.String(length=36), nullable=False),
    sa.Column('supplier_id', sa.String(length=36), nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['rfq_id'], ['rfqs.id'], name=op.f('fk_rfq_bids_rfq_id')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_rfq_bids_supplier_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rfq_bids')),
    sa.UniqueConstraint('rfq_id', 'supplier_id', name=op.f('uq_rfq_bids_rfq_id'))
    )
    op.create_table('rfq_invitations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rfq_id', sa.String(length=36), nullable=False),
    sa.Column('supplier_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['rfq_id'], ['rfqs.id'], name=op.f('fk_rfq_invitations_rfq_id')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_rfq_invitations_supplier_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rfq_invitations')),
    sa.UniqueConstraint('rfq_id', 'supplier_id', name=op.f('uq_rfq_invitations_rfq_id'))
    )
    op.create_table('rfq_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rfq_id', sa.String(length=36), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('part_number', sa.String(length=40), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['part_number'], ['parts.part_number'], name=op.f('fk_rfq_lines_part_number')),
    sa.ForeignKeyConstraint(['rfq_id'], ['rfqs.id'], name=op.f('fk_rfq_lines_rfq_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rfq_lines'))
    )
    op.create_index(op.f('ix_rfq_lines_rfq_id'), 'rfq_lines', ['rfq_id'], unique=False)
    op.create_table('goods_receipt_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('receipt_id', sa.String(length=36), nullable=False),
    sa.Column('purchase_order_line_id', sa.String(length=36), nullable=False),
    sa.Column('part_number', sa.String(length=40), nullable=False),
    sa.Column('delivered_quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('accepted_quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('rejected_quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('reject_reason', sa.String(length=500), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('lot_id', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['part_number'], ['parts.part_number'], name=op.f('fk_goods_receipt_lines_part_number')),
    sa.ForeignKeyConstraint(['purchase_order_line_id'], ['purchase_order_lines.id'], name=op.f('fk_goods_receipt_lines_purchase_order_line_id')),
    sa.ForeignKeyConstraint(['receipt_id'], ['goods_receipts.id'], name=op.f('fk_goods_receipt_lines_receipt_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goods_receipt_lines'))
    )
    op.create_index(op.f('ix_goods_receipt_lines_receipt_id'), 'goods_receipt_lines', ['receipt_id'], unique=False)
    op.create_table('rfq_bid_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('bid_id', sa.String(length=36), nullable=False),
    sa.Column('rfq_line_id', sa.String(length=36), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['bid_id'], ['rfq_bids.id'], name=op.f('fk_rfq_bid_lines_bid_id')),
    sa.ForeignKeyConstraint(['rfq_line_id'], ['rfq_lines.id'], name=op.f('fk_rfq_bid_lines_rfq_line_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rfq_bid_lines')),
    sa.UniqueConstraint('bid_id', 'rfq_line_id', name=op.f('uq_rfq_bid_lines_bid_id'))
    )


def downgrade():
    op.drop_table('rfq_bid_lines')
    op.drop_index(op.f('ix_goods_receipt_lines_receipt_id'), table_name='goods_receipt_lines')
    op.drop_table('goods_receipt_lines')
    op.drop_index(op.f('ix_rfq_lines_rfq_id'), table_name='rfq_lines')
    op.drop_table('rfq_lines')
    op.drop_table('rfq_invitations')
    op.drop_table('rfq_bids')
    op.drop_index(op.f('ix_purchase_order_lines_purchase_order_id'), table_name='purchase_order_lines')
    op.drop_index(op.f('ix_purchase_order_lines_part_number'), table_name='purchase_order_lines')
    op.drop_table('purchase_order_lines')
    op.drop_index(op.f('ix_goods_receipts_supplier_id'), table_name='goods_receipts')
    op.drop_index(op.f('ix_goods_receipts_site_id'), table_name='goods_receipts')
    op.drop_index(op.f('ix_goods_receipts_received_on'), table_name='goods_receipts')
    op.drop_index(op.f('ix_goods_receipts_purchase_order_id'), table_name='goods_receipts')
    op.drop_table('goods_receipts')
    op.drop_index(op.f('ix_rfqs_site_id'), table_name='rfqs')
    op.drop_table('rfqs')
    op.drop_table('purchase_plan_lines')
    op.drop_index(op.f('ix_purchase_orders_supplier_id'), table_name='purchase_orders')
    op.drop_index(op.f('ix_purchase_orders_status'), table_name='purchase_orders')
    op.drop_index(op.f('ix_purchase_orders_site_id'), table_name='purchase_orders')
    op.drop_table('purchase_orders')
    op.drop_table('suppliers')
    op.drop_index(op.f('ix_purchase_plans_site_id'), table_name='purchase_plans')
    op.drop_table('purchase_plans')
