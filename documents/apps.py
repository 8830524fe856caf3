from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "文档与表格"

    def ready(self):
        from documents import checks  # noqa: F401  (registers the signing check)
