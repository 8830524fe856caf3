from django.apps import AppConfig
from django.db.models.signals import post_save


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "统计分析"

    def ready(self):
        from applications.models import Version

        post_save.connect(_version_frozen, sender=Version, dispatch_uid="dashboards.store.record")


def _version_frozen(sender, instance, created, raw=False, **kwargs):
    """A new version's figures become its application's, in the transaction that froze it (dashboards/store.py)."""
    if created and not raw:
        from dashboards import store

        store.record(instance)
