"""tracking links: one live customer link per visit, kept as the token's SHA-256

Revision ID: 3d8e6b1f4a27
Revises: 5b9d3e7a1c42
Create Date: 2026-11-27 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '3d8e6b1f4a27'
down_revision = '5b9d3e7a1c42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tracking_links',
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by', sa.String(length=100), nullable=False),
    sa.Column('times_issued', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_tracking_links_visit_id')),
    sa.PrimaryKeyConstraint('visit_id', name=op.f('pk_tracking_links')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_tracking_links_token_sha256'))
    )


def downgrade():
    op.drop_table('tracking_links')
