"""Application.moved_at: when each application last moved (MAX of its transitions' `at`), kept by a trigger.

The officials' lists sorted on a subquery per row (MAX(transition.at)); they now sort on this column through
the indexes below. A trigger on the transitions table keeps it equal to that MAX after any insert, update or
delete, however made (the workflow, a fixture, a correction by hand). Existing rows are filled in SQL, by
ranges of ids, after the trigger exists, so a transition recorded meanwhile is never missed.
"""

from django.conf import settings
from django.db import migrations, models

BATCH = 5000

# Written out in full, no text assembled: the same MAX as the lists' old subquery, for one application.
POSTGRES_TRIGGER = """
CREATE FUNCTION applications_transition_moved_at() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE applications_application
        SET moved_at = (SELECT MAX(t.at) FROM applications_transition t WHERE t.application_id = OLD.application_id)
        WHERE id = OLD.application_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE applications_application
        SET moved_at = (SELECT MAX(t.at) FROM applications_transition t WHERE t.application_id = NEW.application_id)
        WHERE id = NEW.application_id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER applications_transition_moved_at
    AFTER INSERT OR DELETE OR UPDATE OF at, application_id ON applications_transition
    FOR EACH ROW EXECUTE FUNCTION applications_transition_moved_at();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS applications_transition_moved_at ON applications_transition;
DROP FUNCTION IF EXISTS applications_transition_moved_at();
"""
SQLITE_TRIGGERS = [
    """CREATE TRIGGER applications_transition_moved_at_insert AFTER INSERT ON applications_transition BEGIN
        UPDATE applications_application
        SET moved_at = (SELECT MAX(t.at) FROM applications_transition t WHERE t.application_id = NEW.application_id)
        WHERE id = NEW.application_id;
    END""",
    """CREATE TRIGGER applications_transition_moved_at_update AFTER UPDATE OF at, application_id
    ON applications_transition BEGIN
        UPDATE applications_application
        SET moved_at = (SELECT MAX(t.at) FROM applications_transition t WHERE t.application_id = OLD.application_id)
        WHERE id = OLD.application_id;
        UPDATE applications_application
        SET moved_at = (SELECT MAX(t.at) FROM applications_transition t WHERE t.application_id = NEW.application_id)
        WHERE id = NEW.application_id;
    END""",
    """CREATE TRIGGER applications_transition_moved_at_delete AFTER DELETE ON applications_transition BEGIN
        UPDATE applications_application
        SET moved_at = (SELECT MAX(t.at) FROM applications_transition t WHERE t.application_id = OLD.application_id)
        WHERE id = OLD.application_id;
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS applications_transition_moved_at_insert",
    "DROP TRIGGER IF EXISTS applications_transition_moved_at_update",
    "DROP TRIGGER IF EXISTS applications_transition_moved_at_delete",
]


def create_trigger(apps, schema_editor):
    statements = [POSTGRES_TRIGGER] if schema_editor.connection.vendor == "postgresql" else SQLITE_TRIGGERS
    for statement in statements:
        schema_editor.execute(statement)


def drop_trigger(apps, schema_editor):
    statements = [POSTGRES_DROP] if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP
    for statement in statements:
        schema_editor.execute(statement)


def fill_moved_at(apps, schema_editor):
    """Each existing application's last transition time, computed by the database, BATCH ids per statement."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM applications_application")
        low, high = cursor.fetchone()
        if low is None:
            return
        for start in range(low, high + 1, BATCH):
            cursor.execute(
                "UPDATE applications_application SET moved_at = (SELECT MAX(t.at) FROM applications_transition t "
                "WHERE t.application_id = applications_application.id) WHERE id >= %s AND id < %s",
                [start, start + BATCH],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_password_history"),
        ("applications", "0005_schema_moves"),
        ("calls", "0007_repository_schema_guide_notes"),
        ("regions", "0002_load_regions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="moved_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="最近流转时间"),
        ),
        migrations.RunPython(create_trigger, drop_trigger, elidable=False),
        migrations.RunPython(fill_moved_at, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                models.Case(
                    models.When(
                        models.Q(("moved_at__isnull", True), ("status__in", ("not_supported", "approved"))),
                        then=models.Value(3),
                    ),
                    models.When(status__in=("not_supported", "approved"), then=models.Value(2)),
                    models.When(moved_at__isnull=True, then=models.Value(1)),
                    default=models.Value(0),
                    output_field=models.IntegerField(),
                ),
                models.F("moved_at"),
                models.F("id"),
                name="app_waiting",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                models.F("lead_region"),
                models.Case(
                    models.When(
                        models.Q(("moved_at__isnull", True), ("status__in", ("not_supported", "approved"))),
                        then=models.Value(3),
                    ),
                    models.When(status__in=("not_supported", "approved"), then=models.Value(2)),
                    models.When(moved_at__isnull=True, then=models.Value(1)),
                    default=models.Value(0),
                    output_field=models.IntegerField(),
                ),
                models.F("moved_at"),
                models.F("id"),
                name="app_region_waiting",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                models.F("status"),
                models.Case(
                    models.When(
                        models.Q(("moved_at__isnull", True), ("status__in", ("not_supported", "approved"))),
                        then=models.Value(3),
                    ),
                    models.When(status__in=("not_supported", "approved"), then=models.Value(2)),
                    models.When(moved_at__isnull=True, then=models.Value(1)),
                    default=models.Value(0),
                    output_field=models.IntegerField(),
                ),
                models.F("moved_at"),
                models.F("id"),
                name="app_status_waiting",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                models.F("call"),
                models.Case(
                    models.When(
                        models.Q(("moved_at__isnull", True), ("status__in", ("not_supported", "approved"))),
                        then=models.Value(3),
                    ),
                    models.When(status__in=("not_supported", "approved"), then=models.Value(2)),
                    models.When(moved_at__isnull=True, then=models.Value(1)),
                    default=models.Value(0),
                    output_field=models.IntegerField(),
                ),
                models.F("moved_at"),
                models.F("id"),
                name="app_call_waiting",
            ),
        ),
    ]
