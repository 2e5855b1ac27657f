from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuaranteesConfig(AppConfig):
    name = "aftersales.guarantees"
    label = "guarantees"
    verbose_name = _("Guarantee claims")

    def ready(self) -> None:
        from aftersales.guarantees import events

        events.register()
