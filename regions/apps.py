from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = "盟市"

    def ready(self):
        from regions.models import Region

        # A change in this process is seen at once; other processes see it when their copy ages out.
        for signal in (post_save, post_delete):
            signal.connect(_forget_names, sender=Region, dispatch_uid=f"regions-names-{signal}")


def _forget_names(**kwargs):
    from regions.models import names

    names.forget()
