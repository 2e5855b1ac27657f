"""The SLA policies shipped by default (decision 0018), from the reference documents'
promises: a hotline answering within 4 hours (document 001); quality complaints answered
within 24 hours and settled within a month (001); online service 7×24, phone 8:00–22:00
(002); urgent cases escalated at once to a lead, major ones handled by a dedicated group
that reports progress to the customer (002). Editable in the admin afterwards.

Written out as data (a migration must not depend on code that changes later). It also
creates the two teams the ladders name, unless teams with those codes exist already.
"""

from django.db import migrations

TEAMS = [
    {"code": "major-incidents", "name": "Major incidents"},
    {"code": "supervisors", "name": "Supervisors"},
]

# A step without a metric applies to each target's clock; the "at once" steps name the
# first response so the case's opening is announced once. Every ladder ends the same way: the assignee is warned, the team lead hears of a breach,
# and four business hours after a breach the case moves to the supervisors' queue.
LADDER = [
    {"trigger": "warning", "delay": 0, "action": "notify_assignee"},
    {"trigger": "breach", "delay": 0, "action": "notify_team_lead"},
    {"trigger": "breach", "delay": 240, "action": "reassign_team", "team": "supervisors"},
]

POLICIES = [
    {"code": "major", "position": 10, "severities": ["major"],
     "targets": {"first_response": (30, "always"), "next_response": (60, "always"), "resolution": (1440, "always")},
     "route_team": "major-incidents", "progress": (240, "always"),
     "steps": [{"trigger": "start", "delay": 0, "action": "notify_team", "team": "major-incidents",
                "metric": "first_response"},
               {"trigger": "warning", "delay": 0, "action": "notify_assignee"},
               {"trigger": "breach", "delay": 0, "action": "notify_team_lead"}],
     "names": {"en": "Major incident", "zh-hant": "重大事件", "zh-hans": "重大事件", "ko": "중대 사안"}},
    {"code": "urgent", "position": 20, "severities": ["urgent"],
     "targets": {"first_response": (60, "always"), "next_response": (120, "always"),
                 "resolution": (480, "cn-workday")},
     "steps": [{"trigger": "start", "delay": 0, "action": "notify_team_lead", "metric": "first_response"}, *LADDER],
     "names": {"en": "Urgent", "zh-hant": "緊急", "zh-hans": "紧急", "ko": "긴급"}},
    {"code": "complaint", "position": 30, "types": ["complaint"],
     "targets": {"first_response": (1440, "always"), "next_response": (1440, "always"),
                 "resolution": (43200, "always")},
     "steps": LADDER,
     "names": {"en": "Quality complaint: answer in 24 h, settle in 30 days", "zh-hant": "品質投訴：24 小時內答覆、一個月內解決",
               "zh-hans": "质量投诉：24 小时内答复、一个月内解决", "ko": "품질 불만: 24시간 내 답변, 30일 내 해결"}},
    {"code": "chat", "position": 40, "channels": ["chat"],
     "targets": {"first_response": (30, "always"), "next_response": (60, "always"),
                 "resolution": (1350, "cn-workday")},
     "steps": LADDER,
     "names": {"en": "Live chat (7×24)", "zh-hant": "線上客服（7×24）", "zh-hans": "在线客服（7×24）",
               "ko": "실시간 채팅 (24×7)"}},
    {"code": "phone", "position": 50, "channels": ["phone"],
     "targets": {"first_response": (240, "cn-hotline"), "next_response": (480, "cn-hotline"),
                 "resolution": (1350, "cn-workday")},
     "steps": LADDER,
     "names": {"en": "Hotline: answer within 4 hours (8:00–22:00)", "zh-hant": "熱線：4 小時內回應（8:00–22:00）",
               "zh-hans": "热线：4 小时内响应（8:00–22:00）", "ko": "핫라인: 4시간 내 응답 (8:00–22:00)"}},
    {"code": "standard", "position": 1000,
     "targets": {"first_response": (450, "cn-workday"), "next_response": (450, "cn-workday"),
                 "resolution": (2250, "cn-workday")},
     "steps": LADDER,
     "names": {"en": "Standard: one working day to answer, five to resolve",
               "zh-hant": "標準：一個工作日內答覆、五個工作日內解決",
               "zh-hans": "标准：一个工作日内答复、五个工作日内解决", "ko": "표준: 1영업일 내 답변, 5영업일 내 해결"}},
]


def forwards(apps, schema_editor):
    Team = apps.get_model("accounts", "Team")
    Calendar = apps.get_model("sla", "BusinessCalendar")
    Policy = apps.get_model("sla", "SlaPolicy")
    Name = apps.get_model("sla", "SlaPolicyName")
    Target = apps.get_model("sla", "SlaTarget")
    Step = apps.get_model("sla", "EscalationStep")
    teams = {}
    for spec in TEAMS:
        teams[spec["code"]] = Team.objects.filter(code=spec["code"]).first() or Team.objects.create(**spec)
    calendars = {c.code: c for c in Calendar.objects.all()}
    for spec in POLICIES:
        if Policy.objects.filter(code=spec["code"]).exists():
            continue
        needed = {code for _m, code in spec["targets"].values()} | ({spec["progress"][1]} if "progress" in spec else set())
        if not needed <= calendars.keys():
            continue  # a shipped calendar was removed: leave this policy out rather than guess
        policy = Policy.objects.create(
            code=spec["code"], position=spec["position"], severities=spec.get("severities", []),
            types=spec.get("types", []), channels=spec.get("channels", []), tiers=[], warning_percent=80,
            pause_statuses=["waiting_customer", "waiting_parts"],
            route_team=teams.get(spec.get("route_team")),
            progress_update_minutes=spec["progress"][0] if "progress" in spec else None,
            progress_calendar=calendars[spec["progress"][1]] if "progress" in spec else None,
        )
        Name.objects.bulk_create([Name(policy=policy, language=lang, name=name) for lang, name in spec["names"].items()])
        Target.objects.bulk_create([Target(policy=policy, metric=metric, minutes=minutes, calendar=calendars[code])
                                    for metric, (minutes, code) in spec["targets"].items()])
        Step.objects.bulk_create([Step(policy=policy, trigger=s["trigger"], delay_minutes=s["delay"], action=s["action"],
                                       metric=s.get("metric", ""), team=teams.get(s.get("team")))
                                  for s in spec["steps"]])


def backwards(apps, schema_editor):
    apps.get_model("sla", "SlaPolicy").objects.filter(code__in=[p["code"] for p in POLICIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("sla", "0003_policies_and_clocks"), ("accounts", "0003_team_lead")]
    operations = [migrations.RunPython(forwards, backwards)]
