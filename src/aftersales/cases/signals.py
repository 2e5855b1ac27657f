"""What case actions announce, for the rooms that keep their own state per case (the SLA
clocks). Sent inside the action's transaction, after the case row is written, so a
receiver's writes commit or roll back with the action; `cases` never imports the receivers.

Every signal passes `case` and `at` (the instant of the action)."""

from __future__ import annotations

from django.dispatch import Signal

# A new case.
case_opened = Signal()
# `source` → `target`; `reopened` when a resolved or closed case opens again.
case_status_changed = Signal()
# A public message or an internal note: `entry`, `from_customer`, `public`.
case_message_posted = Signal()
# Type, severity, team or the other fields: `changed` maps each field to (before, after).
case_fields_changed = Signal()
