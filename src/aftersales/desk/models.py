from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedView(models.Model):
    """A queue with its filters and sort, saved under a name by one member of staff."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="saved_views")
    name = models.CharField(_("name"), max_length=60)
    query = models.JSONField(_("query"), default=dict, help_text=_("The queue, filters and sort, as chosen."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_view_name_per_user")]

    def __str__(self) -> str:
        return self.name
