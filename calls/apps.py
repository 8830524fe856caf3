from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = "申报批次"

    def ready(self):
        from calls import checks  # noqa: F401 -- registers the schema files' system check
