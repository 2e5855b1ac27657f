from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_counters(sender, using, plan=None, **kwargs) -> None:
    from django.db import connections

    from aftersales.cases import counters

    connection = connections[using]
    if counters.TABLE in connection.introspection.table_names():
        counters.ensure(connection)


class CasesConfig(AppConfig):
    name = "aftersales.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        post_migrate.connect(_ensure_counters, sender=self, dispatch_uid="cases.ensure_counters")
