from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = "盟市"

    def ready(self):
        from regions.models import Region

        post_save.connect(_forget_names, sender=Region, dispatch_uid="regions-names-saved")
        post_delete.connect(_forget_names, sender=Region, dispatch_uid="regions-names-deleted")


def _forget_names(**kwargs):
    """Now, so this transaction reads its own change; and at commit, so nobody keeps a name read before it."""
    from regions import names

    names.forget()
    transaction.on_commit(names.forget)
