from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepairsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aftersales.repairs"
    verbose_name = _("Repairs")

    def ready(self) -> None:
        from aftersales.repairs import events

        events.register()
