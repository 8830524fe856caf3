"""System checks: every schema file in the repository builds, so a broken seed never reaches a call."""

from django.core import checks

from calls.schema.loader import SchemaError, available_schemas, load_schema


@checks.register()
def schema_files_build(app_configs, **kwargs):
    """calls.E001: a file under calls/schemas/ the engine cannot use, with the entry it names."""
    errors = []
    for code in available_schemas():
        try:
            load_schema(code, 2000)  # the year only fills labels, so any will do
        except SchemaError as exc:
            errors.append(checks.Error(str(exc), id="calls.E001", obj=f"calls/schemas/{code}.yaml"))
    return errors
