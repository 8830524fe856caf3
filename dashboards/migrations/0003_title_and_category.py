"""The name and category of an application are whatever fields its schema marks for those roles, not a
cluster's 集群名称 and 产业类型 by name."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0002_backfill_figures")]

    operations = [
        migrations.RenameField(model_name="submittedfigures", old_name="cluster_name", new_name="title"),
        migrations.RenameField(model_name="submittedfigures", old_name="industry_type", new_name="category"),
        migrations.AlterField(
            model_name="submittedfigures",
            name="title",
            field=models.CharField(blank=True, max_length=500, verbose_name="名称"),
        ),
        migrations.AlterField(
            model_name="submittedfigures",
            name="category",
            field=models.CharField(blank=True, db_index=True, max_length=100, verbose_name="分类"),
        ),
    ]
