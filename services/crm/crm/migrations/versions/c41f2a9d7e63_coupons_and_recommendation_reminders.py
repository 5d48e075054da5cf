"""coupons and reminders of declined work

Revision ID: c41f2a9d7e63
Revises: f5848c4adbf1
Create Date: 2026-11-27 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'c41f2a9d7e63'
down_revision = 'f5848c4adbf1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('coupons',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('value', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('applies_to', sa.String(length=10), nullable=False),
    sa.Column('minimum_spend', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('valid_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('redeemed_invoice_id', sa.String(length=36), nullable=True),
    sa.Column('redeemed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('issued_by', sa.String(length=100), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_coupons_customer_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coupons')),
    sa.UniqueConstraint('code', name=op.f('uq_coupons_code'))
    )
    op.create_index(op.f('ix_coupons_customer_id'), 'coupons', ['customer_id'], unique=False)
    op.create_index(op.f('ix_coupons_site_id'), 'coupons', ['site_id'], unique=False)
    op.create_table('recommendation_reminders',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('vehicle_id', sa.String(length=36), nullable=False),
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('recommendation_ids', sa.JSON(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_recommendation_reminders_customer_id')),
    sa.ForeignKeyConstraint(['vehicle_id'], ['vehicles.id'], name=op.f('fk_recommendation_reminders_vehicle_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_reminders')),
    sa.UniqueConstraint('visit_id', name=op.f('uq_recommendation_reminders_visit_id'))
    )
    op.create_index(op.f('ix_recommendation_reminders_customer_id'), 'recommendation_reminders', ['customer_id'], unique=False)
    op.create_index(op.f('ix_recommendation_reminders_due_at'), 'recommendation_reminders', ['due_at'], unique=False)
    op.create_index(op.f('ix_recommendation_reminders_site_id'), 'recommendation_reminders', ['site_id'], unique=False)
    op.create_index(op.f('ix_recommendation_reminders_vehicle_id'), 'recommendation_reminders', ['vehicle_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_recommendation_reminders_vehicle_id'), table_name='recommendation_reminders')
    op.drop_index(op.f('ix_recommendation_reminders_site_id'), table_name='recommendation_reminders')
    op.drop_index(op.f('ix_recommendation_reminders_due_at'), table_name='recommendation_reminders')
    op.drop_index(op.f('ix_recommendation_reminders_customer_id'), table_name='recommendation_reminders')
    op.drop_table('recommendation_reminders')
    op.drop_index(op.f('ix_coupons_site_id'), table_name='coupons')
    op.drop_index(op.f('ix_coupons_customer_id'), table_name='coupons')
    op.drop_table('coupons')
