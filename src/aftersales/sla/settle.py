"""Record, without acting on them, the milestones that fell due before the SLA was watching:
for clocks started on cases that predate the SLA (`aftersales sla start`) or written with
past times (the demo). Warnings and breaches join the timeline at the instant they fell
due and count in the reports; ladder steps and progress updates are marked handled with no
notification, no e-mail and no move — sending yesterday's alarms today helps no one.
The sweep takes over from `now` on."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from aftersales.cases.models import CaseEntry, EntryKind
from aftersales.sla import clock, events
from aftersales.sla.actions_clock import engine_clock, schedule
from aftersales.sla.models import CaseClock, EscalationStep, SlaMilestone

BATCH = 500


def settle_past_milestones(*, now: datetime | None = None, batch: int = BATCH) -> int:
    """Returns how many milestones were recorded."""
    now = now or timezone.now()
    recorded = 0
    while True:
        with transaction.atomic():
            rows = list(CaseClock.objects.filter(next_check_at__lte=now).select_related("calendar")
                        .order_by("next_check_at", "id")[:batch])
            if not rows:
                return recorded
            done: dict[int, set[str]] = defaultdict(set)
            for clock_id, key in SlaMilestone.objects.filter(clock__in=rows).values_list("clock_id", "key"):
                done[clock_id].add(key)
            steps: dict[int, list[EscalationStep]] = defaultdict(list)
            for step in EscalationStep.objects.filter(policy_id__in={r.policy_id for r in rows}):
                steps[step.policy_id].append(step)
            milestones, entries = [], []
            for row in rows:
                for due, key in engine_clock(row, steps[row.policy_id]).pending(done[row.pk]):
                    if due > now:
                        break
                    milestones.append(SlaMilestone(clock=row, key=key, at=due, handled_at=now))
                    done[row.pk].add(key)
                    if row.metric == clock.PROGRESS_UPDATE:
                        continue
                    if key in (clock.WARNING, clock.BREACH):
                        setattr(row, "warned_at" if key == clock.WARNING else "breached_at", due)
                        entries.append(CaseEntry(
                            case_id=row.case_id, kind=EntryKind.EVENT, is_public=False, created_at=due,
                            event=events.WARNING if key == clock.WARNING else events.BREACH,
                            data={"metric": row.metric, "clock": row.pk, "due": due.isoformat()}))
                if row.metric == clock.PROGRESS_UPDATE:
                    row.next_check_at = None  # the schedule restarts with the next public reply
                else:
                    schedule(row, steps[row.policy_id], done[row.pk])
            SlaMilestone.objects.bulk_create(milestones)
            CaseEntry.objects.bulk_create(entries)
            CaseClock.objects.bulk_update(rows, ["warned_at", "breached_at", "next_check_at", "due_at", "warn_at"])
            recorded += len(milestones)
