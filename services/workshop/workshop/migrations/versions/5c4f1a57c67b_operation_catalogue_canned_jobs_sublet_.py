"""operation catalogue, canned jobs, sublet lines, diagnosis findings and photos

Revision ID: 5c4f1a57c67b
Revises: 1bef26f24b08
Create Date: 2026-11-27 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '5c4f1a57c67b'
down_revision = '1bef26f24b08'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('operations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('model', sa.String(length=60), server_default='', nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('standard_hours', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('skill_code', sa.String(length=40), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operations')),
    sa.UniqueConstraint('code', 'model', name=op.f('uq_operations_code'))
    )
    op.create_table('canned_jobs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('model', sa.String(length=60), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canned_jobs')),
    sa.UniqueConstraint('code', name=op.f('uq_canned_jobs_code'))
    )
    op.create_table('canned_job_operations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('canned_job_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('operation_code', sa.String(length=20), nullable=False),
    sa.Column('hours', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['canned_job_id'], ['canned_jobs.id'], name=op.f('fk_canned_job_operations_canned_job_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canned_job_operations'))
    )
    op.create_index(op.f('ix_canned_job_operations_canned_job_id'), 'canned_job_operations', ['canned_job_id'], unique=False)
    op.create_table('canned_job_parts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('canned_job_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('part_number', sa.String(length=40), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['canned_job_id'], ['canned_jobs.id'], name=op.f('fk_canned_job_parts_canned_job_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canned_job_parts'))
    )
    op.create_index(op.f('ix_canned_job_parts_canned_job_id'), 'canned_job_parts', ['canned_job_id'], unique=False)
    op.create_table('sublet_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('repair_order_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('vendor', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('cost', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('approval', sa.String(length=10), nullable=False),
    sa.Column('pay_type', sa.String(length=10), server_default='customer', nullable=False),
    sa.ForeignKeyConstraint(['repair_order_id'], ['repair_orders.id'], name=op.f('fk_sublet_lines_repair_order_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sublet_lines'))
    )
    op.create_index(op.f('ix_sublet_lines_repair_order_id'), 'sublet_lines', ['repair_order_id'], unique=False)
    op.create_table('diagnoses',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('repair_order_id', sa.String(length=36), nullable=False),
    sa.Column('technician_id', sa.String(length=36), nullable=False),
    sa.Column('started_by', sa.String(length=100), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_by', sa.String(length=100), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['repair_order_id'], ['repair_orders.id'], name=op.f('fk_diagnoses_repair_order_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diagnoses'))
    )
    op.create_index(op.f('ix_diagnoses_repair_order_id'), 'diagnoses', ['repair_order_id'], unique=False)
    op.create_table('findings',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('repair_order_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('concern', sa.Text(), nullable=False),
    sa.Column('finding', sa.Text(), nullable=False),
    sa.Column('cause', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['repair_order_id'], ['repair_orders.id'], name=op.f('fk_findings_repair_order_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_findings'))
    )
    op.create_index(op.f('ix_findings_repair_order_id'), 'findings', ['repair_order_id'], unique=False)
    op.create_table('finding_codes',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('finding_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=5), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('equipment', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['finding_id'], ['findings.id'], name=op.f('fk_finding_codes_finding_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_codes'))
    )
    op.create_index(op.f('ix_finding_codes_finding_id'), 'finding_codes', ['finding_id'], unique=False)
    op.create_table('finding_photos',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('finding_id', sa.String(length=36), nullable=False),
    sa.Column('filename', sa.String(length=255), server_default='', nullable=False),
    sa.Column('content_type', sa.String(length=30), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by', sa.String(length=100), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['finding_id'], ['findings.id'], name=op.f('fk_finding_photos_finding_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_photos'))
    )
    op.create_index(op.f('ix_finding_photos_finding_id'), 'finding_photos', ['finding_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_finding_photos_finding_id'), table_name='finding_photos')
    op.drop_table('finding_photos')
    op.drop_index(op.f('ix_finding_codes_finding_id'), table_name='finding_codes')
    op.drop_table('finding_codes')
    op.drop_index(op.f('ix_findings_repair_order_id'), table_name='findings')
    op.drop_table('findings')
    op.drop_index(op.f('ix_diagnoses_repair_order_id'), table_name='diagnoses')
    op.drop_table('diagnoses')
    op.drop_index(op.f('ix_sublet_lines_repair_order_id'), table_name='sublet_lines')
    op.drop_table('sublet_lines')
    op.drop_index(op.f('ix_canned_job_parts_canned_job_id'), table_name='canned_job_parts')
    op.drop_table('canned_job_parts')
    op.drop_index(op.f('ix_canned_job_operations_canned_job_id'), table_name='canned_job_operations')
    op.drop_table('canned_job_operations')
    op.drop_table('canned_jobs')
    op.drop_table('operations')
