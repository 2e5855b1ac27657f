from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aftersales.kb"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from aftersales.kb import search_scope

        search_scope.register()
