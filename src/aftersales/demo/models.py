"""Bookkeeping for the demo data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoLoad(models.Model):
    """One row per loaded piece of demo data; its presence makes `aftersales demo` idempotent."""

    key = models.CharField(_("key"), max_length=40, unique=True)
    seed = models.BigIntegerField(_("seed"))
    cases = models.PositiveIntegerField(_("cases created"), default=0)
    loaded_at = models.DateTimeField(_("loaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("demo load")
        verbose_name_plural = _("demo loads")
        ordering = ["loaded_at"]

    def __str__(self) -> str:
        return f"{self.key} (seed {self.seed})"
