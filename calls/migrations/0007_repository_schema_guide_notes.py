"""calls/schemas/cluster_2024.yaml changed again (issue 22): two help texts now quote the guide's evidence notes,
which the documents print. A database migrated since 0006 gets the file as its next revision, not published,
in the same way (0006's store_newer_files: nothing is stored when a revision already holds the file's text).
"""

import importlib

from django.db import migrations

repository_revisions = importlib.import_module("calls.migrations.0006_repository_schema_revisions")


class Migration(migrations.Migration):
    dependencies = [("calls", "0006_repository_schema_revisions")]

    operations = [migrations.RunPython(repository_revisions.store_newer_files, migrations.RunPython.noop)]
