"""catalogue import jobs, their rows waiting to be imported, their bad rows

Revision ID: imports_0001
Revises: b1d2e3f4a5c6
Create Date: 2026-11-27 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'imports_0001'
down_revision = 'b1d2e3f4a5c6'
branch_labels = ('imports',)
depends_on = None


def upgrade():
    op.create_table('catalogue_imports',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('file_format', sa.String(length=10), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('total_rows', sa.Integer(), nullable=True),
    sa.Column('processed_rows', sa.Integer(), nullable=False),
    sa.Column('created_parts', sa.Integer(), nullable=False),
    sa.Column('updated_parts', sa.Integer(), nullable=False),
    sa.Column('rejected_rows', sa.Integer(), nullable=False),
    sa.Column('failure', sa.String(length=500), nullable=True),
    sa.Column('uploaded_by', sa.String(length=100), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_imports'))
    )
    op.create_index(op.f('ix_catalogue_imports_content_sha256'), 'catalogue_imports', ['content_sha256'], unique=False)
    op.create_index(op.f('ix_catalogue_imports_status'), 'catalogue_imports', ['status'], unique=False)
    op.create_index(op.f('ix_catalogue_imports_uploaded_at'), 'catalogue_imports', ['uploaded_at'], unique=False)
    op.create_table('catalogue_import_rows',
    sa.Column('import_id', sa.String(length=36), nullable=False),
    sa.Column('line', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('part_number', sa.String(length=100), nullable=True),
    sa.Column('superseded_by', sa.String(length=100), nullable=True),
    sa.Column('cells', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['catalogue_imports.id'], name=op.f('fk_catalogue_import_rows_import_id')),
    sa.PrimaryKeyConstraint('import_id', 'line', name=op.f('pk_catalogue_import_rows'))
    )
    op.create_index('ix_catalogue_import_rows_part', 'catalogue_import_rows', ['import_id', 'part_number'],
                    unique=False)
    op.create_table('catalogue_import_problems',
    sa.Column('import_id', sa.String(length=36), nullable=False),
    sa.Column('line', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('field', sa.String(length=50), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['catalogue_imports.id'],
                            name=op.f('fk_catalogue_import_problems_import_id')),
    sa.PrimaryKeyConstraint('import_id', 'line', 'field', name=op.f('pk_catalogue_import_problems'))
    )


def downgrade():
    op.drop_table('catalogue_import_problems')
    op.drop_index('ix_catalogue_import_rows_part', table_name='catalogue_import_rows')
    op.drop_table('catalogue_import_rows')
    op.drop_index(op.f('ix_catalogue_imports_uploaded_at'), table_name='catalogue_imports')
    op.drop_index(op.f('ix_catalogue_imports_status'), table_name='catalogue_imports')
    op.drop_index(op.f('ix_catalogue_imports_content_sha256'), table_name='catalogue_imports')
    op.drop_table('catalogue_imports')
