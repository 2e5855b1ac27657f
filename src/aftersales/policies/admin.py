"""Policies in the admin. Every write goes through `actions` (validated, audited):

- a policy's document is edited as YAML; saving a changed document adds a NEW version
  (checked by the engine first), never edits an old one; versions are read-only;
- "Copy policy" makes a new policy (new code) from the current document, to change its numbers;
- new policies come from a copy or from `aftersales policies load FILE.yaml`;
- what applies to what: category, product model and guarantee mappings;
- entitlement decisions are records, shown read-only.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.catalog.models import localized_name
from aftersales.core.errors import DomainError
from aftersales.policies import actions, documents
from aftersales.policies.models import (
    CategoryPolicy,
    EntitlementDecision,
    GuaranteePolicy,
    ModelPolicy,
    Policy,
    PolicyName,
    PolicyVersion,
)


def _domain_message(exc: DomainError) -> list[str]:
    return [e["detail"] for e in (exc.errors or []) if e.get("detail")] or [str(exc.detail)]


class PolicyForm(forms.ModelForm):
    document_text = forms.CharField(
        label=gettext_lazy("document (YAML)"), widget=forms.Textarea(attrs={"rows": 30, "cols": 100,
                                                                          "spellcheck": "false"}),
        help_text=gettext_lazy("Saving a changed document adds a new version; earlier versions and the decisions "
                               "made with them stay as they were."))
    version_note = forms.CharField(label=gettext_lazy("what changed"), max_length=300, required=False)

    class Meta:
        model = Policy
        fields = ["is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.current_version if self.instance.pk else None
        if current is not None and not self.is_bound:
            self.initial["document_text"] = documents.dump_text(current.document)

    def clean_document_text(self) -> dict:
        try:
            document = documents.parse_text(self.cleaned_data["document_text"])
        except documents.DocumentError as exc:
            raise forms.ValidationError(str(exc)) from exc
        try:
            return actions.check_document(document, code=self.instance.code)
        except DomainError as exc:
            raise forms.ValidationError(_domain_message(exc)) from exc


class PolicyVersionInline(admin.TabularInline):
    model = PolicyVersion
    fk_name = "policy"
    fields = ["number", "created_at", "created_by", "note", "view"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-number"]
    show_change_link = False

    @admin.display(description=gettext_lazy("document"))
    def view(self, obj: PolicyVersion) -> str:
        return format_html('<a href="{}">{}</a>', reverse("admin:policies_policyversion_change", args=[obj.pk]),
                           _("view"))

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class PolicyNameInline(admin.TabularInline):
    model = PolicyName
    fields = ["language", "name"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = gettext_lazy("names (from the document's names)")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CopyForm(forms.Form):
    new_code = forms.CharField(label=gettext_lazy("code of the copy"), max_length=60,
                               help_text=gettext_lazy("Lower-case letters and digits joined by hyphens, e.g. "
                                                      "myshop-return-30d."))
    note = forms.CharField(label=gettext_lazy("note"), max_length=300, required=False)


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    form = PolicyForm
    list_display = ["code", "policy_name", "family", "jurisdiction", "currency", "version", "is_active", "based_on"]
    list_filter = ["family", "jurisdiction", "is_active"]
    search_fields = ["code", "names__name"]
    readonly_fields = ["code", "family", "jurisdiction", "currency", "based_on", "version"]
    fields = ["code", "family", "jurisdiction", "currency", "based_on", "version", "is_active", "document_text",
              "version_note"]
    inlines = [PolicyNameInline, PolicyVersionInline]
    actions = ["copy_policy"]
    change_form_template = "admin/policies/policy/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("current_version", "based_on").prefetch_related("names")

    @admin.display(description=gettext_lazy("name"))
    def policy_name(self, obj: Policy) -> str:
        return localized_name(obj, "names")

    @admin.display(description=gettext_lazy("version"))
    def version(self, obj: Policy):
        return obj.current_version.number if obj.current_version else "—"

    def has_add_permission(self, request) -> bool:
        # New policies are copies of one (the "Copy policy" action) or files loaded with
        # `aftersales policies load`; either way they start from a whole, valid document.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deactivate instead: decisions point at the versions

    def save_model(self, request, obj: Policy, form, change: bool) -> None:
        actions.policy_set_active(policy=obj, is_active=form.cleaned_data["is_active"], actor=request.user)
        before = obj.current_version_id
        version = actions.policy_version_create(policy=obj, document=form.cleaned_data["document_text"],
                                                actor=request.user, note=form.cleaned_data.get("version_note", ""))
        if version.pk != before:
            messages.info(request, _("Saved as version %(n)d.") % {"n": version.number})
        obj.refresh_from_db()

    @admin.action(description=gettext_lazy("Copy the selected policy"))
    def copy_policy(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one policy to copy."), messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("admin:policies_policy_copy", args=[queryset.get().pk]))

    def get_urls(self):
        return [path("<int:policy_id>/copy/", self.admin_site.admin_view(self.copy_view),
                     name="policies_policy_copy"), *super().get_urls()]

    def copy_view(self, request: HttpRequest, policy_id: int):
        if not self.has_change_permission(request):
            raise PermissionDenied
        policy = get_object_or_404(Policy, pk=policy_id)
        form = CopyForm(request.POST or None, initial={"new_code": f"{policy.code}-copy"})
        if request.method == "POST" and form.is_valid():
            try:
                copy = actions.policy_copy(policy=policy, new_code=form.cleaned_data["new_code"],
                                           actor=request.user, note=form.cleaned_data["note"])
            except DomainError as exc:
                form.add_error("new_code", _domain_message(exc))
            else:
                self.message_user(request, _("Copied %(from)s to %(to)s. Change its numbers below.")
                                  % {"from": policy.code, "to": copy.code}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:policies_policy_change", args=[copy.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "original": policy,
                   "form": form, "title": _("Copy policy %(code)s") % {"code": policy.code}}
        return TemplateResponse(request, "admin/policies/policy/copy.html", context)


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    """Read-only: a version is never changed once written."""

    list_display = ["policy", "number", "created_at", "created_by", "note"]
    list_filter = ["policy"]
    fields = ["policy", "number", "created_at", "created_by", "note", "document_pretty"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("document"))
    def document_pretty(self, obj: PolicyVersion) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.document, ensure_ascii=False, indent=2))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class LinkAdmin(admin.ModelAdmin):
    """A mapping saved and deleted through its action, so each change has an audit row."""

    key_field = ""

    def _set(self, obj, policy, request) -> None:
        raise NotImplementedError

    def get_readonly_fields(self, request, obj=None):
        return [self.key_field] if obj is not None else []

    def save_model(self, request, obj, form, change) -> None:
        self._set(obj, obj.policy, request)

    def delete_model(self, request, obj) -> None:
        self._set(obj, None, request)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self._set(obj, None, request)


@admin.register(CategoryPolicy)
class CategoryPolicyAdmin(LinkAdmin):
    key_field = "category"
    list_display = ["category", "policy"]
    list_select_related = ["category", "policy"]
    autocomplete_fields = ["policy"]

    def _set(self, obj, policy, request) -> None:
        actions.category_policy_set(category=obj.category, policy=policy, actor=request.user)


@admin.register(ModelPolicy)
class ModelPolicyAdmin(LinkAdmin):
    key_field = "product_model"
    list_display = ["product_model", "policy"]
    list_select_related = ["product_model", "policy"]
    raw_id_fields = ["product_model"]
    autocomplete_fields = ["policy"]
    search_fields = ["product_model__sku", "policy__code"]

    def _set(self, obj, policy, request) -> None:
        actions.model_policy_set(product_model=obj.product_model, policy=policy, actor=request.user)


@admin.register(GuaranteePolicy)
class GuaranteePolicyAdmin(LinkAdmin):
    key_field = "guarantee"
    list_display = ["guarantee", "policy"]
    list_select_related = ["policy"]
    autocomplete_fields = ["policy"]

    def _set(self, obj, policy, request) -> None:
        actions.guarantee_policy_set(guarantee=obj.guarantee, policy=policy, actor=request.user)


@admin.register(EntitlementDecision)
class EntitlementDecisionAdmin(admin.ModelAdmin):
    """Decisions are records: read-only here."""

    list_display = ["id", "created_at", "policy_version", "case", "covered", "applied", "actor"]
    list_filter = ["covered", "policy_version__policy"]
    list_select_related = ["policy_version__policy", "case", "actor"]
    raw_id_fields = ["case", "unit", "purchase"]
    date_hierarchy = "created_at"

    @admin.display(description=gettext_lazy("applied remedy"))
    def applied(self, obj: EntitlementDecision) -> str:
        return (obj.applied_remedy or {}).get("kind", "—")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
