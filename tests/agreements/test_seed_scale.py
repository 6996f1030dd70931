"""The scale data set (agreements/scale.py, `manage.py seed_scale`): its mix, that every row
keeps the models' rules, that one seed gives one data set, and that the audit check, the demo
leads and the review schedule all see it as they would real data."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from agreements.audit import check_all_chains
from agreements.authoring.sections import ROW_KINDS
from agreements.demo import DEMO_AGREEMENT_TITLE
from agreements.lifecycle import refresh_next_review_due
from agreements.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    AuditEntry,
    PdfStatus,
    Review,
    Signature,
    SignatureStatus,
    SignerRole,
    VersionState,
)
from agreements.scale import seed_scale
from agreements.schedule import next_review_due, review_dates
from agreements.signing.selectors import awaiting_signature
from organizations.demo import DEMO_ORG_SLUG, MARKETING_LEAD, SALES_LEAD
from organizations.models import Membership, Organization, Role

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the one real copy's PDFs


def seeded(**options) -> list[Agreement]:
    """Seed, and return the agreements that run added, oldest first."""
    before = Agreement.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    options = {"agreements": 40, "other_orgs": 3, "seed": 7, "now": NOW, **options}
    counts = seeded.counts = seed_scale(**options)
    added = Agreement.objects.filter(pk__gt=before).exclude(title=DEMO_AGREEMENT_TITLE)
    assert counts["agreements"] == added.count()
    return list(added.select_related("organization", "marketing_lead", "sales_lead").order_by("pk"))


def in_demo_org(agreements) -> list[Agreement]:
    return [a for a in agreements if a.organization.slug == DEMO_ORG_SLUG]


def bulk(agreements) -> list[Agreement]:
    """All but the one copy the real services made (it alone has an audit trail)."""
    real = set(AuditEntry.objects.values_list("agreement_id", flat=True))
    return [a for a in agreements if a.pk not in real]


def test_the_mix_of_statuses_versions_signatures_reviews_and_rows(db):
    added = seeded()
    counts = seeded.counts
    target = in_demo_org(added)
    assert len(target) == 40
    statuses = [a.status for a in target]
    assert statuses.count(AgreementStatus.DRAFT) == 12  # 30%
    assert statuses.count(AgreementStatus.IN_SIGNATURE) == 6  # 15%
    assert statuses.count(AgreementStatus.SIGNED) == 22  # 55%, the real copy one of them
    ids = [a.pk for a in added]
    versions = AgreementVersion.objects.filter(agreement_id__in=ids)
    assert versions.count() == counts["versions"] == sum(a.status != "draft" for a in added)
    assert Signature.objects.filter(version__in=versions).count() == 2 * versions.count()
    assert Signature.objects.filter(version__in=versions).count() == counts["signatures"]
    reviews = Review.objects.filter(agreement_id__in=ids)
    assert reviews.count() == counts["reviews"]
    signed = sum(a.status == AgreementStatus.SIGNED for a in target)
    assert 0.6 * signed <= reviews.filter(agreement__in=target).count() <= signed  # ~0.82 each
    demo, rows = Agreement.objects.get(title=DEMO_AGREEMENT_TITLE), 0
    for kind in ROW_KINDS.values():  # each copy has the demo agreement's rows, 72 of them
        copied = kind.model.objects.filter(agreement_id__in=ids).count()
        assert copied == len(ids) * kind.model.objects.filter(agreement=demo).count(), kind.key
        rows += copied
    assert rows == counts["rows"] == len(added) * 72

    others = Organization.objects.exclude(slug=DEMO_ORG_SLUG)
    assert others.count() == counts["other_organizations"] == 3
    for organization in others:
        theirs = [a for a in added if a.organization == organization]
        assert 3 <= len(theirs) <= 10
        roles = dict(organization.memberships.values_list("user_id", "role"))
        for agreement in theirs:
            assert roles[agreement.marketing_lead_id] == Role.OWNER
            assert roles[agreement.sales_lead_id] == Role.EDITOR
    titles = {a.title for a in target}
    assert len(titles) == 40 and all("marketing & sales SLA" in t for t in titles)
    days = [(NOW - a.updated_at).days for a in bulk(added)]
    assert min(days) < 120 and max(days) > 500 and max(days) <= 730


def test_every_record_keeps_the_models_rules_and_the_lifecycle(db):
    added = seeded()
    real = AgreementVersion.objects.get(agreement__in=set(added) - set(bulk(added)))
    assert real.pdf_status == real.signed_pdf_status == PdfStatus.READY
    for agreement in added:
        agreement.full_clean()
        versions = list(agreement.versions.all())
        if agreement.status == AgreementStatus.DRAFT:
            assert versions == [] and agreement.next_review_due is None
            continue
        [version] = versions
        version.full_clean()
        assert (version.pdf.name, version.pdf_sha256) == (real.pdf.name, real.pdf_sha256)
        assert version.document_id.startswith(f"SLA-{agreement.pk}-V1-")
        marketing, sales = version.signatures.order_by("order")
        assert (marketing.role, sales.role) == (SignerRole.MARKETING_LEAD, SignerRole.SALES_LEAD)
        assert (marketing.signer, sales.signer) == (agreement.marketing_lead, agreement.sales_lead)
        for slot in (marketing, sales):
            slot.full_clean()
            if slot.status == SignatureStatus.SIGNED:
                assert slot.pdf_sha256 == version.pdf_sha256 and slot.image_png
                assert slot.signer_email == slot.signer.email
                assert version.created_at < slot.signed_at
        if agreement.status == AgreementStatus.IN_SIGNATURE:
            assert version.state == VersionState.IN_SIGNATURE and version.completed_at is None
            assert sales.status == SignatureStatus.PENDING
            assert agreement.next_review_due is None
        else:
            assert version.state == VersionState.SIGNED and version.completed_at
            assert marketing.status == sales.status == SignatureStatus.SIGNED
            assert version.signed_pdf_sha256 == real.signed_pdf_sha256
        reviews = list(agreement.reviews.order_by("due_on"))
        assert len(reviews) <= 2
        assert [r.due_on for r in reviews] == review_dates(agreement)[: len(reviews)]
        for review in reviews:
            review.full_clean()
            assert review.version == version
        assert all(review.is_closed for review in reviews[:-1])  # only the last may be open
    for kind in ROW_KINDS.values():
        for row in kind.model.objects.filter(agreement__in=added[-3:]):
            row.full_clean()


def test_signed_agreements_know_their_next_review(db):
    added = seeded()
    signed = [a for a in added if a.status == AgreementStatus.SIGNED]
    assert signed and all(a.next_review_due for a in signed)
    for agreement in signed:
        closed = agreement.reviews.exclude(closed_at=None).values_list("due_on", flat=True)
        assert agreement.next_review_due == next_review_due(agreement, list(closed))
        stored = agreement.next_review_due
        assert refresh_next_review_due(agreement) == stored  # what the app would compute
    assert len({a.next_review_due for a in signed}) > 5  # spread, not one date for all


def test_the_demo_leads_see_and_sign_the_agreements_of_their_organisation(db):
    added = in_demo_org(seeded())
    organization = added[0].organization
    maria, sam = (get_user_model().objects.get(email=p.email) for p in (MARKETING_LEAD, SALES_LEAD))
    assert Membership.objects.filter(organization=organization, user__in=[maria, sam]).count() == 2
    for lead in (maria, sam):
        visible = set(Agreement.objects.for_user(lead).values_list("pk", flat=True))
        assert {a.pk for a in added} <= visible
        assert all(a.organization == organization for a in Agreement.objects.for_user(lead))
    assert {a.marketing_lead for a in added} == {maria}
    in_signature = [a for a in added if a.status == AgreementStatus.IN_SIGNATURE]
    assert {s.version.agreement for s in awaiting_signature(sam, organization)} == set(in_signature)


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(db):
    def fingerprint(agreements):
        return [
            (
                a.organization.name,
                a.title,
                a.status,
                a.created_at,
                a.updated_at,
                a.effective_date,
                a.next_review_due,
                [(v.state, v.created_at, v.completed_at) for v in a.versions.all()],
                [
                    (s.role, s.status, s.signed_at, s.ip_address)
                    for s in Signature.objects.filter(version__agreement=a).order_by("order")
                ],
                [(r.due_on, r.held_on, r.closed_at, r.notes) for r in a.reviews.order_by("due_on")],
            )
            for a in bulk(agreements)
        ]

    first, again, other = seeded(), seeded(), seeded(seed=8)
    assert fingerprint(first) == fingerprint(again)
    assert fingerprint(first) != fingerprint(other)


def test_the_command_leaves_every_audit_trail_intact(db, capsys):
    call_command("seed_scale", "--agreements", "12", "--orgs", "2", "--seed", "3")
    out = capsys.readouterr().out
    assert "Organisation acme: 12 agreements, 4 drafts, 2 in signature, 6 signed" in out
    assert "Other organisations: 2 (4 users, two each)" in out
    added = Agreement.objects.exclude(title=DEMO_AGREEMENT_TITLE)
    with_trail = set(AuditEntry.objects.values_list("agreement_id", flat=True))
    assert len(with_trail & set(added.values_list("pk", flat=True))) == 1  # the real copy
    for agreement in added.exclude(pk__in=with_trail):
        assert agreement.audit_head_sequence is None
        assert agreement.audit_head_hash == agreement.audit_legacy_seal == ""
        assert not agreement.versions.exclude(audit_head_hash="").exists()
    assert check_all_chains() == []
    call_command("check_audit_chain")
    assert "Every audit trail is intact." in capsys.readouterr().out


def test_an_unknown_organisation_is_refused(db):
    with pytest.raises(CommandError):
        call_command("seed_scale", "--agreements", "3", "--orgs", "0", "--org", "nowhere")
