"""Files on a case: stored once by content, served with their real type, hidden when internal."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.cases import actions
from aftersales.cases.models import Attachment
from aftersales.cases.tests.conftest import api_client
from aftersales.cases.tests.test_audit import PNG

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def case(customer_user, supervisor):
    return actions.case_open(customer=customer_user.customer, subject="Cracked screen", actor=customer_user)


def upload(client, case, content, name, **extra):
    return client.post(f"/api/v1/cases/{case.pk}/attachments",
                       {"file": SimpleUploadedFile(name, content), **extra})


def test_upload_and_download_a_photo(case, customer_user):
    client = api_client(customer_user)
    response = upload(client, case, PNG, "IMG_0001.PNG")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["content_type"], body["filename"], body["size"], body["is_public"]) == (
        "image/png", "IMG_0001.PNG", len(PNG), True)

    download = client.get(body["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("inline")
    assert "sandbox" in download["Content-Security-Policy"]
    assert download["X-Content-Type-Options"] == "nosniff"

    timeline = client.get(f"/api/v1/cases/{case.pk}/timeline").json()
    assert [a["id"] for e in timeline for a in e["attachments"]] == [body["id"]]


def test_documents_are_downloaded_not_rendered(case, customer_user):
    client = api_client(customer_user)
    body = upload(client, case, PDF, "invoice").json()
    assert body["filename"] == "invoice.pdf"
    assert client.get(body["url"])["Content-Disposition"].startswith("attachment")


def test_the_same_bytes_are_stored_once(case, customer_user):
    client = api_client(customer_user)
    a = upload(client, case, PNG, "a.png").json()
    b = upload(client, case, PNG, "b.png").json()
    assert a["id"] != b["id"]
    stored = {Attachment.objects.get(pk=i).file.name for i in (a["id"], b["id"])}
    assert len(stored) == 1
    files = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert len(files) == 1 and files[0].read_bytes() == PNG


def test_internal_files_are_hidden_from_the_customer(case, customer_user, supervisor):
    staff = api_client(supervisor)
    internal = upload(staff, case, PNG, "diagnosis.png", internal="true").json()
    assert internal["is_public"] is False
    customer = api_client(customer_user)
    assert customer.get(internal["url"]).status_code == 404
    timeline = customer.get(f"/api/v1/cases/{case.pk}/timeline").json()
    assert all(a["id"] != internal["id"] for e in timeline for a in e["attachments"])
    assert all(e["event"] != "attachment_added" for e in timeline)
    assert staff.get(internal["url"]).status_code == 200


def test_customers_cannot_upload_internal_files(case, customer_user):
    response = upload(api_client(customer_user), case, PNG, "x.png", internal="true")
    assert response.status_code == 403
    assert Attachment.objects.count() == 0
