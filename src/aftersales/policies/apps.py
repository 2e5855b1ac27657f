from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "aftersales.policies"
    label = "policies"
    verbose_name = _("Entitlement policies")

    def ready(self) -> None:
        from aftersales.policies import events

        events.register()
