"""Input that used to answer 500 (issue 16): each is refused next to its field or row, and
nothing already saved changes."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from agreements.models import Agreement, ReviewActual
from agreements.reviews import services as review_services
from slaportal.errors import DomainError
from tests.agreements.test_reviews import upload_csv


@pytest.mark.parametrize(
    ("end_date", "message"),
    [("9999-12-31", "Choose a date in 2100 or earlier."), ("1899-12-31", "2000 or later")],
)
def test_a_date_far_out_is_refused_next_to_the_field(
    agreement, client_for, marketing_lead, end_date, message
):
    response = client_for(marketing_lead).post(
        reverse("section_save", args=[agreement.pk, "term"]),
        {"effective_date": "2027-01-01", "end_date": end_date, "review_cadence": "quarterly"},
    )

    assert response.status_code == 400
    assert message in str(response.context["section_form"].errors["end_date"])
    assert Agreement.objects.get(pk=agreement.pk).end_date == date(2027, 12, 31)
    dashboard = client_for(marketing_lead).get(
        reverse("dashboard", args=[agreement.organization.slug])
    )
    assert dashboard.status_code == 200


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "-Infinity", "sNaN", "1e20", "-5"])
def test_impossible_review_actuals_are_explained_in_their_cell(
    signed, marketing_lead, client_for, typed
):
    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)

    response = client_for(marketing_lead).post(
        reverse("review_detail", args=[signed.agreement_id, review.pk]),
        {"held_on": "2027-04-01", "actual:leads:2027-01": typed},
    )

    assert response.status_code == 400
    assert not ReviewActual.objects.exists()
    page = client_for(marketing_lead).get(
        reverse("review_detail", args=[signed.agreement_id, review.pk])
    )
    assert page.status_code == 200


def test_a_csv_with_impossible_values_lists_each_row(signed, marketing_lead, client_for):
    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)
    csv = b"Month,Leads\n2027-01,-5\n2027-02,NaN\n2027-03,99999999999999999\n"

    response = upload_csv(client_for(marketing_lead), signed, review, csv)

    content = response.content.decode()
    assert response.status_code == 400
    assert "line 2" in content and "line 3" in content and "line 4" in content
    assert not ReviewActual.objects.exists()


@pytest.mark.parametrize("due_on", ["1900-01-01", "9999-12-31", "2027-04-02"])
def test_a_review_is_only_started_on_a_scheduled_date(signed, marketing_lead, client_for, due_on):
    response = client_for(marketing_lead).post(
        reverse("review_start", args=[signed.agreement_id]), {"due_on": due_on}
    )

    assert response.status_code == 302
    assert not signed.agreement.reviews.exists()
    with pytest.raises(DomainError, match="review schedule"):
        review_services.review_start(
            agreement=signed.agreement, actor=marketing_lead, due_on=date.fromisoformat(due_on)
        )


def test_a_title_with_line_breaks_still_sends_one_line_subjects(
    agreement, marketing_lead, django_capture_on_commit_callbacks
):
    from agreements.versions import services as version_services

    Agreement.objects.filter(pk=agreement.pk).update(title="Acme\nSLA\r\n2027")
    agreement.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        version_services.agreement_submit(agreement=agreement, actor=marketing_lead)

    assert mail.outbox, "the signing invitations went out"
    assert all("\n" not in message.subject for message in mail.outbox)
    assert "Acme SLA 2027" in mail.outbox[0].subject


def _png_claiming(width, height):
    """A tiny file whose PNG header claims a huge image (a decompression bomb's first bytes)."""
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    body = struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return b"\x89PNG\r\n\x1a\n" + body + b"\x00\x00\x00\x00IEND\xaeB`\x82"


@pytest.mark.parametrize("size", [(20000, 20000), (3000, 10), (10, 2001)])
def test_a_signature_claiming_a_huge_image_is_refused_from_its_header(size):
    import base64

    from agreements.signing.signature_image import decode_signature_png

    data_url = "data:image/png;base64," + base64.b64encode(_png_claiming(*size)).decode()

    with pytest.raises(DomainError, match="must be a PNG image"):
        decode_signature_png(data_url)


def test_an_oversized_data_url_is_refused_before_it_is_decoded():
    from agreements.signing.signature_image import decode_signature_png

    with pytest.raises(DomainError, match="too large"):
        decode_signature_png("data:image/png;base64," + "A" * 600_000)


def test_a_csv_over_10_mb_is_refused_next_to_the_field_from_its_size(
    signed, marketing_lead, client_for
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)
    big = SimpleUploadedFile("export.csv", b"Month,Leads\n" + b"2027-01,1\n" * 1_100_000)

    response = client_for(marketing_lead).post(
        reverse("review_upload", args=[signed.agreement_id, review.pk]), {"file": big}
    )

    assert response.status_code == 400
    assert "larger than 10 MB" in str(response.context["upload"].errors["file"])
    assert not ReviewActual.objects.exists()


@pytest.mark.postgres
def test_a_signer_with_a_long_email_can_sign(submitted, marketing_lead):
    # auth_method records "password login as <email>"; it held 80 characters on PostgreSQL.
    from agreements.signing import services as signing_services
    from tests.agreements.test_signing import evidence_for

    long_email = ("a" * 70) + "@example.com"
    marketing_lead.email = long_email
    marketing_lead.save()
    marketing_lead.emailaddress_set.update(email=long_email)  # still verified: signing needs it

    slot = signing_services.signature_sign(
        version=submitted,
        signer=marketing_lead,
        evidence=evidence_for(submitted, auth_method=f"password login as {long_email}"),
    )

    slot.refresh_from_db()
    assert slot.auth_method == f"password login as {long_email}"
    assert slot.signer_email == long_email
