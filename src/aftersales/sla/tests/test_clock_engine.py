"""The pure clock arithmetic (`sla/clock.py`): policy choice, pauses, milestones — with
hypothesis for the pause rule. No database."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.sla import clock
from aftersales.sla.calendar import add_business_minutes, business_minutes_between
from aftersales.sla.tests.calendar.support import at, shipped

CN = shipped("cn-workday")
KR = shipped("kr-workday")


def test_the_first_matching_rule_wins():
    rules = [clock.PolicyRule(key="major", severities=frozenset({"major"})),
             clock.PolicyRule(key="vip-chat", channels=frozenset({"chat"}), tiers=frozenset({"vip"})),
             clock.PolicyRule(key="team-7", teams=frozenset({7})),
             clock.PolicyRule(key="any")]

    def facts(**kw):
        return clock.CaseFacts(**{"severity": "ordinary", "type": "repair", "channel": "portal", "tier": "standard",
                                  "team": None, **kw})

    assert clock.choose(rules, facts(severity="major", channel="chat", tier="vip")) == "major"
    assert clock.choose(rules, facts(channel="chat", tier="vip")) == "vip-chat"
    assert clock.choose(rules, facts(channel="chat")) == "any"  # every condition must hold
    assert clock.choose(rules, facts(team=7)) == "team-7"
    assert clock.choose(rules[:1], facts()) is None


def test_milestones_come_in_order_and_not_while_paused():
    c = clock.Clock(calendar=CN, started=at("2025-03-03 09:00"), target=450, warning_percent=80,
                    steps=[clock.Step("lead-now", clock.START), clock.Step("assignee", clock.WARNING),
                           clock.Step("move", clock.BREACH, delay=240)])
    pending = [(t.isoformat(), k) for t, k in c.pending(())]
    assert pending == [
        ("2025-03-03T09:00:00+08:00", "lead-now"),
        ("2025-03-03T16:30:00+08:00", clock.WARNING), ("2025-03-03T16:30:00+08:00", "assignee"),  # 360 min
        ("2025-03-03T18:00:00+08:00", clock.BREACH),
        ("2025-03-04T14:30:00+08:00", "move"),  # 240 business minutes after the breach: 180, lunch, 60
    ]
    assert c.due_now(at("2025-03-03 17:00"), {"lead-now"}) == [clock.WARNING, "assignee"]
    c.pause(at("2025-03-03 10:00"))
    assert c.pending(()) == [] and c.left(at("2025-03-05 10:00")) == 450 - 60


@settings(max_examples=150, deadline=None)
@given(
    cal=st.sampled_from([CN, KR, shipped("cn-hotline"), shipped("always")]),
    start=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 1),  # noqa: DTZ001 — naive bounds
                       timezones=st.just(UTC)),
    target=st.integers(min_value=1, max_value=5000),
    pause_after=st.integers(min_value=0, max_value=20_000),
    pause_for=st.integers(min_value=1, max_value=30 * 24 * 60),
)
def test_a_pause_moves_the_due_instant_by_exactly_its_business_minutes(cal, start, target, pause_after, pause_for):
    c = clock.Clock(calendar=cal, started=start, target=target)
    before = c.due()
    paused_at = start + timedelta(minutes=pause_after)
    resumed_at = paused_at + timedelta(minutes=pause_for)
    c.pause(paused_at)
    minutes = c.resume(resumed_at)
    assert minutes == business_minutes_between(cal, paused_at, resumed_at)
    after = c.due()
    if minutes:
        assert after == add_business_minutes(cal, before, minutes)
    else:
        assert after == before
    # and the clock counts exactly the target up to its due instant, pauses excluded
    assert c.elapsed(after) == target or (after < resumed_at)  # a pause that outlasts the due instant


def test_the_module_runs_with_django_unimportable():
    script = ("import sys; sys.modules['django'] = None\n"
              "from aftersales.sla import clock\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['django']"
