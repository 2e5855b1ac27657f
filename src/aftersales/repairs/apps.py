from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepairsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aftersales.repairs"
    verbose_name = _("Repairs")

    def ready(self) -> None:
        from aftersales.policies.signals import decision_recorded
        from aftersales.repairs import actions, events

        events.register()
        decision_recorded.connect(actions.billing_follows_decision, dispatch_uid="repairs.billing_follows_decision")
