from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aftersales.cases.selectors import CaseFilters, case_list


def home(request: HttpRequest) -> HttpResponse:
    context = {}
    if request.user.is_authenticated:
        page = case_list(user=request.user, filters=CaseFilters(), cursor=None, limit=20)
        context["cases"] = page.items
    return render(request, "web/home.html", context)
