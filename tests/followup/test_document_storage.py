"""Evidence documents through Django's storage API: on the file system by default, in an
S3-compatible bucket in production (django-storages, here against moto's in-memory S3).

Whatever the store, a download is streamed by the scoped view: never a redirect to a
storage URL, which would skip the jurisdiction check.
"""

import io

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from followup.models import EvidenceDocument
from followup.services import action_create

pytestmark = pytest.mark.django_db

BUCKET = "peta-konvergensi-bukti"


def minutes_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Notulen lokakarya mini"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def action(admin_user, open_round, values):
    return action_create(user=admin_user, round=open_round, **values)


def upload(client, action, data: bytes):
    url = reverse("followup:document_add", args=[action.region.code, action.pk])
    file = SimpleUploadedFile("notulen.pdf", data, content_type="application/pdf")
    response = client.post(url, {"title": "Notulen lokakarya mini", "file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return EvidenceDocument.objects.get(action=action)


def download(client, document):
    action = document.action
    url = reverse("followup:document", args=[action.region.code, action.pk, document.pk])
    return client.get(url)


def assert_streamed(response, data: bytes) -> None:
    """The scoped view sent the bytes itself: no redirect, nothing cacheable."""
    assert response.status_code == 200
    assert not response.has_header("Location")
    assert response.streaming
    body = b"".join(response.streaming_content)
    assert body == data
    assert PdfReader(io.BytesIO(body)).metadata.title == "Notulen lokakarya mini"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == 'attachment; filename="notulen.pdf"'


def test_on_the_file_system_a_download_streams_through_the_view(
    planner_client, action, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    data = minutes_pdf()
    document = upload(planner_client, action, data)
    stored = tmp_path / "media" / document.file.name
    assert stored.read_bytes() == data
    assert_streamed(download(planner_client, document), data)


@pytest.fixture
def s3(settings, monkeypatch):
    """The default storage as production configures it (``STORAGE_BACKEND=s3``), against
    moto's S3 in memory: the bucket, and a boto3 client to look inside it."""
    from moto import mock_aws

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        # The options the settings build from the environment (tests/test_settings.py).
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "signature_version": "s3v4",
                    "location": "sigi",
                    "default_acl": "private",
                    "querystring_auth": False,
                    "file_overwrite": False,
                },
            },
        }
        yield client


def test_in_an_s3_bucket_a_document_is_private_and_streams_through_the_view(
    planner_client, viewer_client, action, s3
):
    data = minutes_pdf()
    document = upload(planner_client, action, data)
    assert type(default_storage._wrapped).__name__ == "S3Storage"

    # The object is in the bucket under the prefix, readable by its owner only.
    key = f"sigi/{document.file.name}"
    stored = s3.get_object(Bucket=BUCKET, Key=key)
    assert stored["Body"].read() == data
    grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)
    # No signed link is ever made: the storage's URL carries no credentials.
    assert "Signature" not in document.file.url and "X-Amz" not in document.file.url

    assert_streamed(download(planner_client, document), data)
    # The view still decides who reads it: viewers do not, whatever the store.
    assert download(viewer_client, document).status_code == 403
