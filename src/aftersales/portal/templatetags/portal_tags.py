from decimal import Decimal

from django import template
from django.utils.formats import number_format

from aftersales.cases.events import event_text
from aftersales.catalog.models import CURRENCY_MINOR_UNITS, localized_name

register = template.Library()


@register.filter
def event_sentence(entry) -> str:
    """A timeline event as a sentence in the reader's language."""
    return event_text(entry)


@register.filter
def model_name(product_model) -> str:
    """A product model's name in the reader's language (falls back as `localized_name` does)."""
    return localized_name(product_model, "names") or product_model.sku


@register.filter
def money(purchase) -> str:
    """The amount with the currency's own number of decimals (none for KRW)."""
    places = CURRENCY_MINOR_UNITS.get(purchase.currency, 2)
    amount = Decimal(purchase.amount).quantize(Decimal(1).scaleb(-places))
    return f"{number_format(amount, places, use_l10n=True, force_grouping=True)} {purchase.currency}"
