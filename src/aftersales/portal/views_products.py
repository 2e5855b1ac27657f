"""My products: the units and purchases we know of, and registering a unit."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aftersales.cases.attachments import protected_file_response
from aftersales.catalog.access import access_product_model
from aftersales.core.errors import DomainError
from aftersales.customers.access import customer_of
from aftersales.portal.access import access_purchase_proof
from aftersales.portal.actions import product_register
from aftersales.portal.forms import ProductForm, checked_files
from aftersales.portal.selectors import my_purchases, my_units, product_model_choices
from aftersales.portal.views import customer_required


@require_GET
@customer_required
def product_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/products.html",
                  {"units": my_units(user=request.user), "purchases": my_purchases(user=request.user)})


@customer_required
def product_register_view(request: HttpRequest) -> HttpResponse:
    customer = customer_of(request.user)
    if customer is None:
        raise Http404
    choices = product_model_choices(user=request.user)
    errors: list[str] = []
    if request.method == "POST":
        form = ProductForm(request.POST, model_choices=choices)
        uploads = request.FILES.getlist("invoice")[:1]
        files = checked_files(uploads, errors)
        if form.is_valid() and not errors:
            data = form.cleaned_data
            try:
                product_register(
                    customer=customer, actor=request.user,
                    product_model=access_product_model(user=request.user, product_model_id=data["product_model"]),
                    serial_number=data["serial_number"], order_number=data["order_number"],
                    purchase_date=data["purchase_date"], invoice=files[0] if files else None,
                )
            except DomainError as exc:
                errors.append(str(exc.detail))
            else:
                messages.success(request, _("Your product is registered."))
                return redirect("portal:products")
    else:
        form = ProductForm(model_choices=choices)
    return render(request, "portal/product_register.html", {"form": form, "errors": errors})


@require_GET
@customer_required
def purchase_proof_invoice(request: HttpRequest, proof_id: int) -> FileResponse:
    proof = access_purchase_proof(user=request.user, proof_id=proof_id)
    if not proof.invoice:
        raise Http404
    return protected_file_response(proof.invoice, content_type=proof.invoice_content_type,
                                   filename=proof.invoice_filename,
                                   inline=proof.invoice_content_type.startswith("image/"))
