"""Bookkeeping for the demo data. Operator-facing only, so the labels are not translated."""

from __future__ import annotations

from django.db import models


class DemoLoad(models.Model):
    """One row per loaded piece of demo data; its presence makes `aftersales demo` idempotent."""

    key = models.CharField("key", max_length=40, unique=True)
    seed = models.BigIntegerField("seed")
    cases = models.PositiveIntegerField("cases created", default=0)
    loaded_at = models.DateTimeField("loaded", auto_now_add=True)

    class Meta:
        verbose_name = "demo load"
        verbose_name_plural = "demo loads"
        ordering = ["loaded_at"]

    def __str__(self) -> str:
        return f"{self.key} (seed {self.seed})"
