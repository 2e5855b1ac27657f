"""Entitlement policies as versioned data, what they apply to, and the decisions made with them.

A policy is a document (the YAML the pure engine in `engine/` reads), stored as numbered,
immutable versions: editing a policy adds a version, and every decision points at the
version it used, so a later edit never rewrites an earlier decision.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.models import Guarantee, localized_name


class Policy(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    family = models.CharField(_("family"), max_length=40, blank=True,
                              help_text=_("The kind of rule set, e.g. 三包, car, online return, guarantee."))
    jurisdiction = models.CharField(_("jurisdiction"), max_length=10, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    based_on = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="copies",
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The newest version, kept by `actions.policy_version_create`; one join reads the
    # document an evaluation needs.
    current_version = models.ForeignKey(
        "PolicyVersion", verbose_name=_("current version"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["code"]

    def __str__(self) -> str:
        name = localized_name(self, "names")
        return f"{self.code} — {name}" if name else self.code


class PolicyName(models.Model):
    """The policy's name in one language, as the current document gives it."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("policy name")
        verbose_name_plural = _("policy names")
        constraints = [models.UniqueConstraint(fields=["policy", "language"], name="policy_name_per_language")]

    def __str__(self) -> str:
        return self.name


class ImmutableRow(Exception):
    pass


class PolicyVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRow("Policy versions are never changed; create a new version.")


class PolicyVersion(models.Model):
    """One version of a policy's document. Written once by `actions.policy_version_create`,
    never changed afterwards (save() and QuerySet.update() refuse)."""

    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    document = models.JSONField(_("document"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="policy_version_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="policy_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.policy.code} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableRow("Policy versions are never changed; create a new version.")
        super().save(*args, **kwargs)


class CategoryPolicy(models.Model):
    """The policy for every product model of a category (and of its sub-categories)."""

    category = models.OneToOneField(
        "catalog.ProductCategory", verbose_name=_("category"), on_delete=models.CASCADE, related_name="policy_link"
    )
    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT,
                               related_name="category_links")

    class Meta:
        verbose_name = _("category policy")
        verbose_name_plural = _("category policies")
        ordering = ["category__code"]

    def __str__(self) -> str:
        return f"{self.category.code} → {self.policy.code}"


class ModelPolicy(models.Model):
    """A product model's own policy, in place of its category's."""

    product_model = models.OneToOneField(
        "catalog.ProductModel", verbose_name=_("product model"), on_delete=models.CASCADE, related_name="policy_link"
    )
    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT,
                               related_name="model_links")

    class Meta:
        verbose_name = _("product model policy")
        verbose_name_plural = _("product model policies")
        ordering = ["product_model__sku"]

    def __str__(self) -> str:
        return f"{self.product_model.sku} → {self.policy.code}"


class GuaranteePolicy(models.Model):
    """The policy that decides claims on a guarantee a seller offers (`Purchase.guarantees`).
    A shop that copies `cn-return-promise` into a 30-day promise points `return_promise` here."""

    guarantee = models.CharField(_("guarantee"), max_length=30, choices=Guarantee.choices, unique=True)
    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT,
                               related_name="guarantee_links")

    class Meta:
        verbose_name = _("guarantee policy")
        verbose_name_plural = _("guarantee policies")
        ordering = ["guarantee"]

    def __str__(self) -> str:
        return f"{self.guarantee} → {self.policy.code}"


class EntitlementDecision(models.Model):
    """One evaluation, kept as it was: the facts sent, the engine's answer, and the policy
    version it used. `facts`, `result` and `policy_version` are never changed; applying a
    remedy (once) fills the `applied_*` fields, and a remedy the engine did not offer needs
    an `override_reason`."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="entitlement_decisions",
    )
    unit = models.ForeignKey(
        "catalog.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    purchase = models.ForeignKey(
        "catalog.Purchase", verbose_name=_("purchase"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    policy_version = models.ForeignKey(
        PolicyVersion, verbose_name=_("policy version"), on_delete=models.PROTECT, related_name="decisions"
    )
    facts = models.JSONField(_("facts"), help_text=_("The request as it was sent."))
    result = models.JSONField(
        _("result"), help_text=_("The engine's answer; explanations keep their template and parameters, so they "
                                 "read in any language later."))
    covered = models.BooleanField(_("covered"))
    applied_remedy = models.JSONField(_("applied remedy"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applied by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    override_reason = models.TextField(
        _("override reason"), blank=True, help_text=_("Why a remedy the engine did not offer was applied."))

    class Meta:
        verbose_name = _("entitlement decision")
        verbose_name_plural = _("entitlement decisions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at"], name="decision_case_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.policy_version}"

    @property
    def is_override(self) -> bool:
        return bool(self.override_reason)
