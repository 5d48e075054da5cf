"""check-in records (mileage correction, promised time source, walk-around, signature) and walk-around photos

Revision ID: 7c2e9a4d5b13
Revises: 11a0dd204ccf
Create Date: 2026-11-27 11:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '7c2e9a4d5b13'
down_revision = '11a0dd204ccf'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('check_in_records',
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('mileage_correction_reason', sa.String(length=500), nullable=True),
    sa.Column('recorded_mileage_km', sa.Integer(), nullable=True),
    sa.Column('estimated_hours', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('promised_at_source', sa.String(length=20), nullable=False),
    sa.Column('customer_registered', sa.Boolean(), nullable=False),
    sa.Column('vehicle_registered', sa.Boolean(), nullable=False),
    sa.Column('damage_marks', sa.JSON(), nullable=False),
    sa.Column('fuel_level_percent', sa.Integer(), nullable=True),
    sa.Column('belongings', sa.JSON(), nullable=False),
    sa.Column('concerns', sa.JSON(), nullable=False),
    sa.Column('walk_around_recorded_by', sa.String(length=100), nullable=True),
    sa.Column('walk_around_recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signature_png', sa.LargeBinary(), nullable=True),
    sa.Column('signature_size_bytes', sa.Integer(), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_name', sa.String(length=100), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signature_recorded_by', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_check_in_records_visit_id')),
    sa.PrimaryKeyConstraint('visit_id', name=op.f('pk_check_in_records'))
    )
    op.create_table('check_in_photos',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=30), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by', sa.String(length=100), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_check_in_photos_visit_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_in_photos'))
    )
    op.create_index(op.f('ix_check_in_photos_visit_id'), 'check_in_photos', ['visit_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_check_in_photos_visit_id'), table_name='check_in_photos')
    op.drop_table('check_in_photos')
    op.drop_table('check_in_records')
