from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aftersales.search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from aftersales.cases import signals
        from aftersales.cases.models import Case
        from aftersales.search import case_documents

        case_documents.register()
        for name in ("case_opened", "case_message_posted", "case_status_changed", "case_fields_changed"):
            getattr(signals, name).connect(case_documents.on_case_changed, dispatch_uid=f"search.{name}")
        post_delete.connect(case_documents.on_case_deleted, sender=Case, dispatch_uid="search.case_deleted")
