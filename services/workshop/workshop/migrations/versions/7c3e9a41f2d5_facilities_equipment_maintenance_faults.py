"""facilities: equipment register, files, maintenance plans and windows, faults, calibrations, site settings

Revision ID: 7c3e9a41f2d5
Revises: 5c4f1a57c67b
Create Date: 2026-11-27 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '7c3e9a41f2d5'
down_revision = '5c4f1a57c67b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('workshop_site_settings',
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('hours_per_day', sa.Numeric(precision=4, scale=2), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('site_id', name=op.f('pk_workshop_site_settings'))
    )
    op.create_table('equipment',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('bay_id', sa.String(length=36), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('asset_number', sa.String(length=40), nullable=False),
    sa.Column('make', sa.String(length=100), nullable=False),
    sa.Column('model', sa.String(length=100), nullable=False),
    sa.Column('serial', sa.String(length=100), nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('calibration_required', sa.Boolean(), nullable=False),
    sa.Column('calibration_due_on', sa.Date(), nullable=True),
    sa.Column('calibration_alerted_for', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bay_id'], ['bays.id'], name=op.f('fk_equipment_bay_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_equipment')),
    sa.UniqueConstraint('site_id', 'asset_number', name=op.f('uq_equipment_site_id'))
    )
    op.create_index(op.f('ix_equipment_bay_id'), 'equipment', ['bay_id'], unique=False)
    op.create_index(op.f('ix_equipment_site_id'), 'equipment', ['site_id'], unique=False)
    op.create_table('calibrations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('equipment_id', sa.String(length=36), nullable=False),
    sa.Column('calibrated_on', sa.Date(), nullable=False),
    sa.Column('certificate_number', sa.String(length=60), nullable=False),
    sa.Column('next_due_on', sa.Date(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], name=op.f('fk_calibrations_equipment_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calibrations'))
    )
    op.create_index(op.f('ix_calibrations_equipment_id'), 'calibrations', ['equipment_id'], unique=False)
    op.create_table('equipment_faults',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('equipment_id', sa.String(length=36), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('out_of_service', sa.Boolean(), nullable=False),
    sa.Column('reported_by', sa.String(length=100), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('repaired_by', sa.String(length=100), nullable=True),
    sa.Column('repaired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('repair_notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], name=op.f('fk_equipment_faults_equipment_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_equipment_faults'))
    )
    op.create_index(op.f('ix_equipment_faults_equipment_id'), 'equipment_faults', ['equipment_id'], unique=False)
    op.create_table('equipment_files',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('equipment_id', sa.String(length=36), nullable=False),
    sa.Column('site_id', sa.String(length=32), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=50), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by', sa.String(length=100), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], name=op.f('fk_equipment_files_equipment_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_equipment_files'))
    )
    op.create_index(op.f('ix_equipment_files_equipment_id'), 'equipment_files', ['equipment_id'], unique=False)
    op.create_table('maintenance_plans',
    sa.Column('equipment_id', sa.String(length=36), nullable=False),
    sa.Column('interval_days', sa.Integer(), nullable=False),
    sa.Column('tasks', sa.Text(), nullable=False),
    sa.Column('next_due_on', sa.Date(), nullable=False),
    sa.Column('alerted_for', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], name=op.f('fk_maintenance_plans_equipment_id')),
    sa.PrimaryKeyConstraint('equipment_id', name=op.f('pk_maintenance_plans'))
    )
    op.create_table('maintenance_records',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('equipment_id', sa.String(length=36), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=False),
    sa.Column('done_by', sa.String(length=100), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], name=op.f('fk_maintenance_records_equipment_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_maintenance_records'))
    )
    op.create_index(op.f('ix_maintenance_records_equipment_id'), 'maintenance_records', ['equipment_id'], unique=False)
    op.create_table('maintenance_windows',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('equipment_id', sa.String(length=36), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('scheduled_by', sa.String(length=100), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], name=op.f('fk_maintenance_windows_equipment_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_maintenance_windows'))
    )
    op.create_index(op.f('ix_maintenance_windows_equipment_id'), 'maintenance_windows', ['equipment_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_maintenance_windows_equipment_id'), table_name='maintenance_windows')
    op.drop_table('maintenance_windows')
    op.drop_index(op.f('ix_maintenance_records_equipment_id'), table_name='maintenance_records')
    op.drop_table('maintenance_records')
    op.drop_table('maintenance_plans')
    op.drop_index(op.f('ix_equipment_files_equipment_id'), table_name='equipment_files')
    op.drop_table('equipment_files')
    op.drop_index(op.f('ix_equipment_faults_equipment_id'), table_name='equipment_faults')
    op.drop_table('equipment_faults')
    op.drop_index(op.f('ix_calibrations_equipment_id'), table_name='calibrations')
    op.drop_table('calibrations')
    op.drop_index(op.f('ix_equipment_site_id'), table_name='equipment')
    op.drop_index(op.f('ix_equipment_bay_id'), table_name='equipment')
    op.drop_table('equipment')
    op.drop_table('workshop_site_settings')
