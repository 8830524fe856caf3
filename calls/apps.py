from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = "申报批次"

    def ready(self):
        # Every schema file is checked at start-up: a broken one stops the server with the entry named,
        # rather than failing in front of an applicant. The year only fills labels, so any will do.
        from calls.schema import available_schemas, load_schema

        for code in available_schemas():
            load_schema(code, 2000)
