"""appointments: bookings with their requested services and moves, and one lock row per site-day

Revision ID: 6a2f0c9e4b71
Revises: 7c2e9a4d5b13
Create Date: 2026-11-27 10:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '6a2f0c9e4b71'
down_revision = '7c2e9a4d5b13'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('appointment_days',
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('site_id', 'day', name=op.f('pk_appointment_days'))
    )
    op.create_table('appointments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('vehicle_id', sa.String(length=36), nullable=False),
    sa.Column('plate', sa.String(length=16), nullable=False),
    sa.Column('slot_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('preferred_advisor', sa.String(length=100), nullable=True),
    sa.Column('notes', sa.String(length=2000), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('booked_by', sa.String(length=100), nullable=False),
    sa.Column('booked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancel_reason', sa.String(length=500), nullable=True),
    sa.Column('cancelled_by', sa.String(length=100), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('no_show_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('visit_id', sa.String(length=36), nullable=True),
    sa.Column('arrived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminder_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments'))
    )
    op.create_index('ix_appointments_site_id_day', 'appointments', ['site_id', 'day'], unique=False)
    op.create_index('ix_appointments_status_slot_start', 'appointments', ['status', 'slot_start'], unique=False)
    op.create_index(op.f('ix_appointments_vehicle_id'), 'appointments', ['vehicle_id'], unique=False)
    op.create_table('appointment_moves',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('appointment_id', sa.String(length=36), nullable=False),
    sa.Column('from_slot_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('to_slot_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('moved_by', sa.String(length=100), nullable=False),
    sa.Column('moved_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'],
                            name=op.f('fk_appointment_moves_appointment_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment_moves'))
    )
    op.create_index(op.f('ix_appointment_moves_appointment_id'), 'appointment_moves', ['appointment_id'],
                    unique=False)
    op.create_table('appointment_services',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('appointment_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('operation_code', sa.String(length=20), nullable=True),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('hours', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'],
                            name=op.f('fk_appointment_services_appointment_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment_services'))
    )
    op.create_index(op.f('ix_appointment_services_appointment_id'), 'appointment_services', ['appointment_id'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_appointment_services_appointment_id'), table_name='appointment_services')
    op.drop_table('appointment_services')
    op.drop_index(op.f('ix_appointment_moves_appointment_id'), table_name='appointment_moves')
    op.drop_table('appointment_moves')
    op.drop_index(op.f('ix_appointments_vehicle_id'), table_name='appointments')
    op.drop_index('ix_appointments_status_slot_start', table_name='appointments')
    op.drop_index('ix_appointments_site_id_day', table_name='appointments')
    op.drop_table('appointments')
    op.drop_table('appointment_days')
