"""What the policies room tells the others. Sent inside the writing transaction."""

from django.dispatch import Signal

# An entitlement decision was recorded (kwargs: decision, actor). The repairs room sets the
# billing class of the case's open work orders from it (C when covered, A when not).
decision_recorded = Signal()
