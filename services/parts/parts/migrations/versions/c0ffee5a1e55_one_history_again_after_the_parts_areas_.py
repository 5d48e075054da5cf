"""one history again after the parts areas of #5

Revision ID: c0ffee5a1e55
Revises: imports_0001, procurement_0001, sales_0001, stocktake_0001, transfers_0001
Create Date: 2026-11-26 18:30:21.534741
"""


revision = 'c0ffee5a1e55'
down_revision = ('imports_0001', 'procurement_0001', 'sales_0001', 'stocktake_0001', 'transfers_0001')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
