"""A trigram index for the officials' inbox search (reviews.forms.InboxFilterForm): `figures_title_trgm` serves
`UPPER(title::text) LIKE '%…%'`, what icontains asks, so a search reads the matching rows instead of every
one (issue 23). PostgreSQL only (pg_trgm, a trusted extension since PostgreSQL 13); SQLite has no
such index and scans, which at the 10,000 applications it is meant for stays quick."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            'CREATE INDEX IF NOT EXISTS figures_title_trgm ON dashboards_submittedfigures USING gin ((UPPER("title"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS figures_title_trgm")


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0003_title_and_category")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
