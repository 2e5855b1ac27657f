"""The calendars shipped by default (decision 0016), editable afterwards in the admin.

The data is written out here, not read from the pure module: a migration must not depend on
code that changes later. Reversing removes the shipped calendars again.
"""

from django.db import migrations

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _weekly(days, hours):
    return {day: [list(pair) for pair in hours] if day in days else [] for day in EVERY_DAY}


CALENDARS = [
    {"code": "always", "time_zone": "Asia/Shanghai", "holiday_region": "",
     "weekly_hours": _weekly(EVERY_DAY, [("00:00", "24:00")]),
     "names": {"en": "Always open (24×7)", "zh-hant": "全天候（7×24）", "zh-hans": "全天候（7×24）",
               "ko": "연중무휴 (24×7)"}},
    {"code": "cn-workday", "time_zone": "Asia/Shanghai", "holiday_region": "CN",
     "weekly_hours": _weekly(WEEKDAYS, [("09:00", "12:00"), ("13:30", "18:00")]),
     "names": {"en": "China working days (Mon–Fri 9:00–12:00, 13:30–18:00)",
               "zh-hant": "中國工作日（週一至週五 9:00–12:00、13:30–18:00）",
               "zh-hans": "中国工作日（周一至周五 9:00–12:00、13:30–18:00）",
               "ko": "중국 근무일 (월–금 9:00–12:00, 13:30–18:00)"}},
    {"code": "cn-hotline", "time_zone": "Asia/Shanghai", "holiday_region": "",
     "weekly_hours": _weekly(EVERY_DAY, [("08:00", "22:00")]),
     "names": {"en": "China hotline (every day 8:00–22:00)", "zh-hant": "中國熱線（每天 8:00–22:00）",
               "zh-hans": "中国热线（每天 8:00–22:00）", "ko": "중국 핫라인 (매일 8:00–22:00)"}},
    {"code": "kr-workday", "time_zone": "Asia/Seoul", "holiday_region": "KR",
     "weekly_hours": _weekly(WEEKDAYS, [("09:00", "18:00")]),
     "names": {"en": "Korea working days (Mon–Fri 9:00–18:00)", "zh-hant": "韓國工作日（週一至週五 9:00–18:00）",
               "zh-hans": "韩国工作日（周一至周五 9:00–18:00）", "ko": "한국 근무일 (월–금 9:00–18:00)"}},
]


def forwards(apps, schema_editor):
    Calendar = apps.get_model("sla", "BusinessCalendar")
    Name = apps.get_model("sla", "BusinessCalendarName")
    for spec in CALENDARS:
        if Calendar.objects.filter(code=spec["code"]).exists():
            continue
        calendar = Calendar.objects.create(code=spec["code"], time_zone=spec["time_zone"],
                                           holiday_region=spec["holiday_region"], weekly_hours=spec["weekly_hours"],
                                           closures=[], openings=[])
        Name.objects.bulk_create([Name(calendar=calendar, language=lang, name=name)
                                  for lang, name in spec["names"].items()])


def backwards(apps, schema_editor):
    apps.get_model("sla", "BusinessCalendar").objects.filter(code__in=[c["code"] for c in CALENDARS]).delete()


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
