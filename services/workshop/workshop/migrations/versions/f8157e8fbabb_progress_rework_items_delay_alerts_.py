"""progress: rework items, delay alerts, promised time changes, comeback decisions

Revision ID: f8157e8fbabb
Revises: 7d3a9c2e5f10
Create Date: 2026-11-27 11:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'f8157e8fbabb'
down_revision = '7d3a9c2e5f10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rework_items',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('repair_order_id', sa.String(length=36), nullable=False),
    sa.Column('inspection_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('inspector', sa.String(length=100), nullable=False),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['repair_order_id'], ['repair_orders.id'], name=op.f('fk_rework_items_repair_order_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rework_items'))
    )
    op.create_index(op.f('ix_rework_items_repair_order_id'), 'rework_items', ['repair_order_id'], unique=False)
    op.create_table('delay_alerts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('repair_order_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('promised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expected_ready_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['repair_order_id'], ['repair_orders.id'], name=op.f('fk_delay_alerts_repair_order_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delay_alerts')),
    sa.UniqueConstraint('repair_order_id', 'kind', 'promised_at', name=op.f('uq_delay_alerts_repair_order_id'))
    )
    op.create_index(op.f('ix_delay_alerts_repair_order_id'), 'delay_alerts', ['repair_order_id'], unique=False)
    op.create_index(op.f('ix_delay_alerts_site_id'), 'delay_alerts', ['site_id'], unique=False)
    op.create_table('promised_time_changes',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('repair_order_id', sa.String(length=36), nullable=False),
    sa.Column('from_promised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('to_promised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('by', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['repair_order_id'], ['repair_orders.id'],
                            name=op.f('fk_promised_time_changes_repair_order_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promised_time_changes'))
    )
    op.create_index(op.f('ix_promised_time_changes_repair_order_id'), 'promised_time_changes', ['repair_order_id'],
                    unique=False)
    op.create_table('comeback_decisions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('repair_order_id', sa.String(length=36), nullable=False),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('comeback_of', sa.String(length=36), nullable=True),
    sa.Column('by', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['repair_order_id'], ['repair_orders.id'],
                            name=op.f('fk_comeback_decisions_repair_order_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comeback_decisions'))
    )
    op.create_index(op.f('ix_comeback_decisions_repair_order_id'), 'comeback_decisions', ['repair_order_id'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_comeback_decisions_repair_order_id'), table_name='comeback_decisions')
    op.drop_table('comeback_decisions')
    op.drop_index(op.f('ix_promised_time_changes_repair_order_id'), table_name='promised_time_changes')
    op.drop_table('promised_time_changes')
    op.drop_index(op.f('ix_delay_alerts_site_id'), table_name='delay_alerts')
    op.drop_index(op.f('ix_delay_alerts_repair_order_id'), table_name='delay_alerts')
    op.drop_table('delay_alerts')
    op.drop_index(op.f('ix_rework_items_repair_order_id'), table_name='rework_items')
    op.drop_table('rework_items')
