"""The figures the dashboards count, copied out of each application's latest submitted version into indexed rows.

A version's figures live in its JSON; reading them back for every application on every page grows
with the number of applications. So when a version is frozen, in the same transaction, its
`statistics:` cells are written here as numbers (dashboards/store.py), and the dashboards, the
ranking and the inbox aggregate, sort and page them in the database. A row belongs to the
application and always holds its highest-numbered version; whether it counts (not a draft) is read
from the application, never copied.
"""

import secrets

from django.db import models

# Values are kept as integers scaled by 10**SCALE, so SUM is exact on SQLite too (its decimals are floats).
# The schema allows at most 2 decimals (calls.schema.values.parse_decimal); 6 leaves room for more.
SCALE = 6


def new_stamp():
    return secrets.randbits(63)


class SubmittedFigures(models.Model):
    """One per application with a submitted version: which version the figures are from, its name and category."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, primary_key=True, related_name="submitted_figures"
    )
    version = models.OneToOneField("applications.Version", on_delete=models.PROTECT, related_name="+")
    version_number = models.PositiveIntegerField("版本号")
    # The answers to the fields the version's schema marks as its title and its category (calls.schema ROLES).
    title = models.CharField("名称", max_length=500, blank=True)
    category = models.CharField("分类", max_length=100, blank=True, db_index=True)
    # A fresh random number at every write: the set of stamps (with states) in a scope names its figures
    # exactly, so computed statistics can be cached under it (dashboards/figures.py, dashboards/figure_cache.py).
    stamp = models.BigIntegerField(default=new_stamp)

    class Meta:
        verbose_name = "已提交的统计数据"
        verbose_name_plural = "已提交的统计数据"

    def __str__(self):
        return f"{self.title} 第{self.version_number}版"


class FigureValue(models.Model):
    """One cell of the `statistics:` of an application's latest version; 无 or empty has no row (no value)."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="figure_values")
    # The application's call, which never changes: a standing counts a call's values on the index alone.
    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="+")
    cell = models.CharField("单元格", max_length=100)  # output__2023, patents_per_10k
    raw = models.CharField("填报值", max_length=40)  # as stored in the version: how a table shows it
    scaled = models.BigIntegerField("数值×10^6")  # the value × 10**SCALE: what is added, compared and sorted

    class Meta:
        verbose_name = "统计指标值"
        verbose_name_plural = "统计指标值"
        constraints = [models.UniqueConstraint(fields=["application", "cell"], name="one_figure_value_per_cell")]
        indexes = [
            models.Index(fields=["cell", "scaled"], name="figure_value_cell_scaled"),
            models.Index(fields=["call", "cell", "scaled"], name="figure_value_call_cell_scaled"),
        ]

    def __str__(self):
        return f"{self.cell}={self.raw}"
