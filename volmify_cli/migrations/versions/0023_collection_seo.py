"""collections: SEO metadata per translation (issue 21)

`org_product_collection_translation.seo_metadata_id`, a tenant foreign key to `seo_metadata`
as product and brand translations have had since 0003/0004 (NO ACTION: an SEO row goes only
when no translation refers to it). The downgrade deletes the collections' SEO rows with the
column.

Revision ID: 0023_collection_seo
Revises: 0022_rating_rated_at
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from volmify_cli.migrations.sqlite_tables import replace_once

revision = "0023_collection_seo"
down_revision = "0022_rating_rated_at"
branch_labels = None
depends_on = None

TABLE = "org_product_collection_translation"
FK = "fk_org_product_collection_translation_org_id_seo_metad_38584991"
COLUMNS = "created_at, updated_at, org_id, locale_key, is_default, collection_id, name, description"
# The clauses of the stored CREATE TABLE text on SQLite (as 0004 wrote them).
SQLITE_DESCRIPTION = "description TEXT, \n\t"
SQLITE_COLUMN = "seo_metadata_id CHAR(32), \n\t"
SQLITE_ORG_FK = f"CONSTRAINT fk_{TABLE}_org_id_org FOREIGN KEY"
SQLITE_FK = (
    f"CONSTRAINT {FK} FOREIGN KEY(org_id, seo_metadata_id)"
    " REFERENCES seo_metadata (org_id, id), \n\t"
)


def _rebuild(edit_sql: str, copied: str) -> None:
    """Rebuild the table from its stored CREATE TABLE text as `edit_sql`, copying `copied`
    columns (SQLite cannot add a composite foreign key to an existing table)."""
    connection = op.get_bind()
    indexes = [
        row[0]
        for row in connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
            " AND sql IS NOT NULL ORDER BY name",
            (TABLE,),
        )
    ]
    temporary = f"_rebuild_{TABLE}"
    body = edit_sql.split("(", 1)[1]
    connection.exec_driver_sql(f"CREATE TABLE {temporary} (" + body)
    connection.exec_driver_sql(f"INSERT INTO {temporary} ({copied}) SELECT {copied} FROM {TABLE}")
    connection.exec_driver_sql(f"DROP TABLE {TABLE}")
    connection.exec_driver_sql(f"ALTER TABLE {temporary} RENAME TO {TABLE}")
    for index in indexes:
        connection.exec_driver_sql(index)


def _stored_sql() -> str:
    return str(
        op.get_bind()
        .exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
        )
        .scalar_one()
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        sql = replace_once(_stored_sql(), SQLITE_DESCRIPTION, SQLITE_DESCRIPTION + SQLITE_COLUMN)
        sql = replace_once(sql, SQLITE_ORG_FK, SQLITE_FK + SQLITE_ORG_FK)
        _rebuild(sql, COLUMNS)
        return
    op.add_column(TABLE, sa.Column("seo_metadata_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        FK, TABLE, "seo_metadata", ["org_id", "seo_metadata_id"], ["org_id", "id"]
    )


def downgrade() -> None:
    connection = op.get_bind()
    ids = [
        row[0]
        for row in connection.exec_driver_sql(
            f"SELECT seo_metadata_id FROM {TABLE} WHERE seo_metadata_id IS NOT NULL"
        )
    ]
    if connection.dialect.name == "sqlite":
        sql = replace_once(_stored_sql(), SQLITE_COLUMN, "")
        sql = replace_once(sql, SQLITE_FK, "")
        _rebuild(sql, COLUMNS)
    else:
        op.drop_constraint(FK, TABLE, type_="foreignkey")
        op.drop_column(TABLE, "seo_metadata_id")
    # the collections' SEO rows, unreferenced now
    for seo_id in ids:  # as the driver gave it: hex text on SQLite, a UUID on PostgreSQL
        connection.execute(sa.text("DELETE FROM seo_metadata WHERE id = :id"), {"id": seo_id})
