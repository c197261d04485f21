"""Creates the Free, Starter, Pro and Enterprise plans from SPEC "Plans and limits"."""

from django.db import migrations

PLANS = [
    # slug, name, per minute, concurrent, daily (None = unlimited), custom, order
    ("free", "Free", 10, 1, 100, False, 0),
    ("starter", "Starter", 30, 3, 1000, False, 1),
    ("pro", "Pro", 60, 10, 10000, False, 2),
    ("enterprise", "Enterprise", 120, 25, None, True, 3),
]


def create_plans(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    for slug, name, rpm, concurrent, daily, custom, order in PLANS:
        Plan.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "requests_per_minute": rpm,
                "concurrent": concurrent,
                "daily": daily,
                "custom": custom,
                "sort_order": order,
            },
        )


def remove_plans(apps, schema_editor):
    apps.get_model("billing", "Plan").objects.filter(slug__in=[p[0] for p in PLANS]).delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [migrations.RunPython(create_plans, remove_plans)]
