from django.db import migrations, models

from agreements.schedule import next_review_due


def fill_next_review_due(apps, schema_editor):
    """The stored date for agreements signed before it was kept (the schedule is pure)."""
    Agreement = apps.get_model("agreements", "Agreement")
    Review = apps.get_model("agreements", "Review")
    signed = Agreement.objects.filter(versions__state="signed").distinct()
    for agreement in signed.iterator():
        closed = Review.objects.filter(agreement=agreement).exclude(closed_at=None)
        due = next_review_due(agreement, list(closed.values_list("due_on", flat=True)))
        Agreement.objects.filter(pk=agreement.pk).update(next_review_due=due)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0017_version_signature_boxes"),
    ]

    operations = [
        migrations.AddField(
            model_name="agreement",
            name="next_review_due",
            field=models.DateField(blank=True, db_index=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_next_review_due, migrations.RunPython.noop),
    ]
