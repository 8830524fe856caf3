"""The 盟市 of Inner Mongolia and the units that recommend applications to the region."""

from django.db import models


class Region(models.Model):
    """A 盟市, or a city that recommends on its own (满洲里市, 二连浩特市), by GB/T 2260 code."""

    class Kind(models.TextChoices):
        LEAGUE_CITY = "league_city", "盟市"
        DIRECT_CITY = "direct_city", "自治区直管市"

    code = models.CharField("行政区划代码", max_length=6, unique=True)
    name = models.CharField("名称", max_length=20, unique=True)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="所在盟市", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bureau_name = models.CharField("工业和信息化主管部门", max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name = "盟市"
        verbose_name_plural = "盟市"

    def __str__(self):
        return self.name

    @property
    def audit_label(self):
        """How the audit log names it (audit.log.object_label): its GB/T 2260 code."""
        return self.code
