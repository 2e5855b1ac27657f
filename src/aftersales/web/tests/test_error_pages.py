"""Error pages in the design system, in the reader's language; 500 renders without a request
or a database."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.urls import include, path
from django.utils import translation
from django.utils.translation import gettext
from django.views.defaults import server_error

from aftersales.core.tests.factories import CustomerUserFactory, UserFactory


def boom(request: HttpRequest):
    raise RuntimeError("a bug")


def forbidden(request: HttpRequest):
    raise PermissionDenied


def suspicious(request: HttpRequest):
    raise SuspiciousOperation("bad")


# Used through @pytest.mark.urls(__name__): the real URLs plus three that fail on purpose.
urlpatterns = [
    path("test-errors/boom/", boom),
    path("test-errors/forbidden/", forbidden),
    path("test-errors/suspicious/", suspicious),
    path("", include("aftersales.urls")),
]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "url"), [
    ("agent", "/desk/no-such-page/"),
    ("agent", "/desk/cases/987654321/"),
    ("customer", "/no-such-page/"),
    (None, "/no-such-page/"),
    (None, "/cases/987654321/x/"),
])
def test_not_found_is_our_page_with_status_404(settings, who, url):
    settings.DEBUG = False
    client = {"agent": lambda: signed_in(UserFactory()), "customer": lambda: signed_in(CustomerUserFactory()),
              None: Client}[who]()
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html
    assert 'href="/static/aftersales/base.css"' in html and 'aria-label="Main"' in html


@pytest.mark.django_db
def test_not_found_speaks_the_readers_language(settings):
    settings.DEBUG = False
    client = signed_in(UserFactory(language="ko"))
    html = client.get("/desk/no-such-page/").content.decode()
    with translation.override("ko"):
        heading = gettext("Page not found")
    assert '<html lang="ko">' in html and f"<h1>{heading}</h1>" in html


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize(("url", "status", "heading"), [
    ("/test-errors/forbidden/", 403, "Not allowed"),
    ("/test-errors/suspicious/", 400, "This request cannot be handled"),
    ("/test-errors/boom/", 500, "Something went wrong"),
])
def test_other_errors_have_their_page(settings, url, status, heading):
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_500_renders_with_no_request_context_and_no_database():
    # No django_db mark: any query here would fail the test.
    with translation.override("zh-hant"):
        response = server_error(RequestFactory().get("/"))
        heading = gettext("Something went wrong")
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="zh-hant">' in html and f"<h1>{heading}</h1>" in html


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_explains_itself(settings):
    settings.DEBUG = False
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "<h1>Please try again</h1>" in response.content.decode()
