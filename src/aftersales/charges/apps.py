from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChargesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aftersales.charges"
    label = "charges"
    verbose_name = _("Charges")

    def ready(self) -> None:
        from aftersales.charges import documents, events

        events.register()
        documents.register()
