"""The README's S3 option for real: django-storages against a local S3 endpoint (moto in server
mode, started here). A PDF the worker renders lands in the bucket, downloads through the app and
verifies."""

from datetime import date
from decimal import Decimal

import boto3
import pytest
from django.urls import reverse
from moto.server import ThreadedMotoServer

from agreements.models import PdfStatus
from agreements.signing import services as signing_services
from agreements.signing.verification import verify_document
from agreements.versions import services as version_services
from tests import factories
from tests.agreements.test_signing import evidence_for
from tests.production.stack import free_port
from tests.services import wait_for

BUCKET = "slaportal-contracts"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture
def s3_bucket(settings):
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET)
    # What settings.py builds from STORAGE_BACKEND and the AWS_* variables.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    yield client
    server.stop()


def bucket_keys(client):
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_pdfs_rendered_by_a_real_worker_live_in_the_bucket_download_and_verify(
    s3_bucket, real_worker, client, marketing_lead, sales_lead, organization
):
    agreement = factories.agreement_from_template(
        organization,
        marketing_lead,
        marketing_lead=marketing_lead,
        sales_lead=sales_lead,
        effective_date=date(2027, 1, 1),
        end_date=date(2027, 12, 31),
        revenue_target=Decimal("500000"),
    )
    version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)

    def status_of(field):
        def settled():
            version.refresh_from_db()
            return getattr(version, field) in (PdfStatus.READY, PdfStatus.FAILED)

        return settled

    assert wait_for(status_of("pdf_status"), timeout=60), version.pdf_status
    assert version.pdf_status == PdfStatus.READY, version.pdf_error
    assert version.pdf.name in bucket_keys(s3_bucket)

    for lead in (marketing_lead, sales_lead):
        signing_services.signature_sign(
            version=version, signer=lead, evidence=evidence_for(version)
        )
    assert wait_for(status_of("signed_pdf_status"), timeout=60), version.signed_pdf_status
    assert version.signed_pdf_status == PdfStatus.READY, version.signed_pdf_error
    assert version.signed_pdf.name in bucket_keys(s3_bucket)
    stored = s3_bucket.get_object(Bucket=BUCKET, Key=version.signed_pdf.name)["Body"].read()

    client.force_login(sales_lead)
    response = client.get(reverse("signed_pdf", args=[agreement.pk, version.number]))
    downloaded = b"".join(response.streaming_content)

    assert response.status_code == 200
    assert downloaded == stored
    verdict = verify_document(downloaded)
    assert verdict.status == "intact", verdict.message
    assert verdict.version == version
