"""factory_boy factories for every app; tests import from here."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.utils import timezone

from aftersales.accounts.models import Role, Team, User
from aftersales.cases.models import Case, CaseType, Channel, Severity, Status
from aftersales.cases.numbering import reserve_case_numbers
from aftersales.catalog.models import (
    OrderLine,
    ProductCategory,
    ProductCategoryName,
    ProductModel,
    ProductModelName,
    Purchase,
    Unit,
)
from aftersales.customers.models import Customer, CustomerIdentity


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"team-{n}")
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    role = Role.AGENT
    language = "en"
    is_staff = factory.LazyAttribute(lambda o: o.role in (Role.SUPERVISOR, Role.ADMINISTRATOR))
    is_superuser = factory.LazyAttribute(lambda o: o.role == Role.ADMINISTRATOR)
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.teams.set(extracted)
        if create:
            self.save()


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Customer {n}")
    language = "en"


class CustomerUserFactory(UserFactory):
    role = Role.CUSTOMER

    @factory.post_generation
    def customer(self, create, extracted, **kwargs):
        if create:
            CustomerFactory(user=self, name=self.username, **kwargs)


class IdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerIdentity

    customer = factory.SubFactory(CustomerFactory)
    kind = "email"
    value = factory.Sequence(lambda n: f"buyer{n}@example.com")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCategory
        django_get_or_create = ("code",)

    code = "mobile-phone"


class ProductModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductModel
        skip_postgeneration_save = True

    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    category = factory.SubFactory(CategoryFactory)
    brand = "Acme"

    @factory.post_generation
    def names(self, create, extracted, **kwargs):
        if create:
            for lang, name in (extracted or {"en": f"Phone {self.sku}"}).items():
                ProductModelName.objects.create(product_model=self, language=lang, name=name)


class PurchaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Purchase

    customer = factory.SubFactory(CustomerFactory)
    channel = "tmall"
    order_number = factory.Sequence(lambda n: f"ORD-{n:06d}")
    amount = Decimal("2999.00")
    currency = "CNY"
    paid_at = factory.LazyFunction(timezone.now)


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    purchase = factory.SubFactory(PurchaseFactory)
    product_model = factory.SubFactory(ProductModelFactory)
    unit_price = Decimal("2999.00")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    product_model = factory.SubFactory(ProductModelFactory)
    serial_number = factory.Sequence(lambda n: f"SN{n:08d}")


class CaseFactory(factory.django.DjangoModelFactory):
    """A case row straight in the table, for tests that need cases in a given state.
    Tests of behaviour open cases through `case_open`."""

    class Meta:
        model = Case

    number = factory.LazyFunction(lambda: reserve_case_numbers(timezone.now().year)[0])
    subject = factory.Sequence(lambda n: f"Case {n}")
    type = CaseType.REPAIR
    severity = Severity.ORDINARY
    channel = Channel.PORTAL
    status = Status.NEW
    is_open = factory.LazyAttribute(lambda o: o.status not in (Status.RESOLVED, Status.CLOSED))
    customer = factory.SubFactory(CustomerFactory)
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyAttribute(lambda o: o.created_at)


__all__ = [
    "CaseFactory", "CategoryFactory", "CustomerFactory", "CustomerUserFactory", "IdentityFactory",
    "OrderLineFactory", "ProductCategoryName", "ProductModelFactory", "PurchaseFactory", "TeamFactory",
    "UnitFactory", "UserFactory",
]
