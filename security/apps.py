from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "安全策略"

    def ready(self):
        from security import checks  # noqa: F401  (registers the deploy checks)
