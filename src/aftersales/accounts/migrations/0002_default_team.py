"""A first team that receives new cases, so a fresh install routes cases somewhere."""

from django.db import migrations


def forwards(apps, schema_editor):
    Team = apps.get_model("accounts", "Team")
    if not Team.objects.filter(is_default=True).exists():
        Team.objects.get_or_create(code="service-desk", defaults={"name": "Service desk", "is_default": True})


def backwards(apps, schema_editor):
    apps.get_model("accounts", "Team").objects.filter(code="service-desk", members__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
