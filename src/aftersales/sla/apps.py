from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aftersales.sla"
    verbose_name = _("Service levels")

    def ready(self) -> None:
        from aftersales.cases import signals
        from aftersales.sla import actions_clock, events

        signals.case_opened.connect(actions_clock.on_case_opened, dispatch_uid="sla.opened")
        signals.case_message_posted.connect(actions_clock.on_message_posted, dispatch_uid="sla.message")
        signals.case_status_changed.connect(actions_clock.on_status_changed, dispatch_uid="sla.status")
        signals.case_fields_changed.connect(actions_clock.on_fields_changed, dispatch_uid="sla.fields")
        events.register()
        from aftersales.cases.selectors import DETAIL_HOOKS
        from aftersales.sla.selectors_clock import with_live_clocks

        if with_live_clocks not in DETAIL_HOOKS:
            DETAIL_HOOKS.append(with_live_clocks)
