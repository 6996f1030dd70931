"""The audit trail as an anchored, keyed chain: every way of tampering with it is reported.

The tampering is done as someone with write access to the database but not the server's audit
key would do it: rows updated or deleted behind the application's back (on PostgreSQL with the
append-only trigger switched off for the statement, as the table's owner could).
"""

import hashlib
import importlib
import json

import pgtrigger
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test import override_settings

from agreements.audit import audit_log, check_all_chains
from agreements.models import GENESIS_HASH, Agreement, AgreementVersion, AuditEntry
from agreements.signing.completion import certificate_html

APPEND_ONLY = "agreements.AuditEntry:append_only"
CHANGED = "its content was changed after it was written"

record_heads = importlib.import_module(
    "agreements.migrations.0015_audit_chain_keyed_and_anchored"
).record_heads


@pytest.fixture
def trail(agreement, marketing_lead):
    """The agreement with a trail of five entries."""
    for n in range(5 - agreement.audit_entries.count()):
        audit_log(agreement, marketing_lead, "viewed", f"page {n}")
    assert agreement.audit_entries.count() == 5
    return agreement


def entries(agreement) -> list[AuditEntry]:
    return list(agreement.audit_entries.order_by("sequence"))


def tamper(queryset, **values) -> None:
    with pgtrigger.ignore(APPEND_ONLY):
        queryset.update(**values)


def remove(queryset) -> None:
    with pgtrigger.ignore(APPEND_ONLY):
        queryset._raw_delete(connection.alias)


def breaks() -> list[tuple[int, str]]:
    return [(item.sequence, item.problem) for item in check_all_chains()]


def rehash_from(agreement, sequence: int, digest) -> None:
    """Recompute every link from entry `sequence` on with `digest` (the attacker's stand-in for
    the key), and move the agreement's recorded head to the rewritten end."""
    trail = entries(agreement)
    prev = trail[sequence - 2].entry_hash if sequence > 1 else GENESIS_HASH
    for entry in trail[sequence - 1 :]:
        entry.prev_hash = prev
        prev = digest(entry)
        tamper(
            AuditEntry.objects.filter(pk=entry.pk),
            prev_hash=entry.prev_hash,
            entry_hash=prev,
            hmac_key_id=entry.hmac_key_id,
        )
    Agreement.objects.filter(pk=agreement.pk).update(
        audit_head_sequence=trail[-1].sequence, audit_head_hash=prev
    )


def guessed_key(entry) -> str:
    with override_settings(AUDIT_HMAC_KEYS={entry.hmac_key_id: "a guessed key"}):
        return entry.compute_hash()


def downgraded(entry) -> str:
    """Rewritten as an entry from before the trail was keyed: plain SHA-256, no key id."""
    entry.hmac_key_id = ""
    return entry.compute_hash()


def pre_key_hash(entry) -> str:
    """Plain SHA-256, as entries were hashed before the trail was keyed (the old
    AuditEntry.compute_hash); the entry's key id is left as it was."""
    payload = json.dumps(
        {
            "agreement": entry.agreement_id,
            "sequence": entry.sequence,
            "actor": entry.actor_email,
            "action": entry.action,
            "target": entry.target,
            "detail": entry.detail,
            "created_at": entry.created_at.isoformat(),
            "prev_hash": entry.prev_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def test_an_intact_trail_is_keyed_and_hashes_its_actor(trail, sales_lead):
    first, *_rest, last = entries(trail)

    assert breaks() == []
    assert {entry.hmac_key_id for entry in entries(trail)} == {"k1"}
    assert (trail.audit_head_sequence, trail.audit_head_hash) == (5, last.entry_hash)
    first.actor_id = sales_lead.pk  # the actor's id is covered, not only the email
    assert first.compute_hash() != first.entry_hash
    call_command("check_audit_chain")


def test_an_edited_entry_is_reported(trail):
    tamper(trail.audit_entries.filter(sequence=3), detail={"forged": True})

    assert breaks() == [(3, CHANGED)]
    with pytest.raises(CommandError, match="1 break"):
        call_command("check_audit_chain")


@pytest.mark.parametrize(
    ("start", "digest"),
    [(2, pre_key_hash), (2, guessed_key), (2, downgraded), (1, downgraded)],
    ids=["plain-sha256", "guessed-key", "downgraded-from-2", "downgraded-whole-trail"],
)
def test_an_edited_entry_with_every_later_hash_recomputed_is_reported(trail, start, digest):
    tamper(trail.audit_entries.filter(sequence=start), action="declined")
    rehash_from(trail, start, digest)

    found = breaks()

    assert found
    assert {sequence for sequence, _problem in found} <= set(range(start, 6))
    if digest is downgraded:
        assert any("unkeyed entries no longer match" in problem for _sequence, problem in found)
    else:
        assert found == [(sequence, CHANGED) for sequence in range(start, 6)]


def test_a_deleted_middle_entry_is_reported(trail):
    remove(trail.audit_entries.filter(sequence=3))

    assert breaks() == [
        (4, "expected entry #3: an entry is missing"),
        (4, "does not chain to the entry before it"),
    ]


def test_a_deleted_tail_is_reported_between_signings(trail):
    remove(trail.audit_entries.filter(sequence__gte=4))

    assert breaks() == [
        (5, "the recorded head is missing; the trail ends at #3: its last entries were deleted")
    ]


def test_a_deleted_tail_is_reported_against_the_head_anchored_on_the_signed_version(
    signed, sales_lead
):
    agreement = signed.agreement
    audit_log(agreement, sales_lead, "viewed", "version 1")
    signed.refresh_from_db()
    anchored = signed.audit_head_sequence
    remove(agreement.audit_entries.filter(sequence__gte=anchored))
    # Even with the agreement's own head moved back to the cut end, the version still knows.
    last = entries(agreement)[-1]
    Agreement.objects.filter(pk=agreement.pk).update(
        audit_head_sequence=last.sequence, audit_head_hash=last.entry_hash
    )

    assert breaks() == [
        (anchored, "the head anchored on version 1 when it was completed is missing")
    ]


def test_deleting_every_entry_is_reported(trail):
    remove(trail.audit_entries.all())

    assert breaks() == [
        (5, "the recorded head of a trail that has no entries left: they were deleted")
    ]
    with pytest.raises(CommandError):
        call_command("check_audit_chain", str(trail.pk))


def test_entries_under_a_rotated_key_and_the_old_one_both_verify(trail, marketing_lead, settings):
    settings.AUDIT_HMAC_KEYS = {**settings.AUDIT_HMAC_KEYS, "k2": "the next key"}
    settings.AUDIT_HMAC_KEY_ID = "k2"
    audit_log(trail, marketing_lead, "viewed", "after rotation")

    assert [entry.hmac_key_id for entry in entries(trail)] == ["k1"] * 5 + ["k2"]
    assert breaks() == []

    settings.AUDIT_HMAC_KEYS = {"k2": "the next key"}  # k1 dropped too early
    assert breaks() == [
        (n, "written under key 'k1', which AUDIT_HMAC_KEYS does not hold") for n in range(1, 6)
    ]


def test_an_entry_under_an_unknown_key_id_is_reported(trail):
    tamper(trail.audit_entries.filter(sequence=2), hmac_key_id="k9")

    assert breaks() == [(2, "written under key 'k9', which AUDIT_HMAC_KEYS does not hold")]


def test_entries_written_before_the_trail_was_keyed_still_verify(trail, marketing_lead):
    # The trail as the unkeyed code wrote it: plain SHA-256, no key id, no recorded head.
    rehash_from(trail, 1, downgraded)
    legacy = entries(trail)
    assert [entry.entry_hash for entry in legacy] == [pre_key_hash(entry) for entry in legacy]
    Agreement.objects.filter(pk=trail.pk).update(audit_head_sequence=None, audit_head_hash="")

    record_heads(apps, None)  # the migration: heads recorded and sealed, no entry rewritten
    trail.refresh_from_db()
    audit_log(trail, marketing_lead, "viewed", "after the upgrade")

    assert [entry.entry_hash for entry in entries(trail)][:5] == [e.entry_hash for e in legacy]
    assert [entry.hmac_key_id for entry in entries(trail)] == [""] * 5 + ["k1"]
    assert breaks() == []


def test_an_unkeyed_entry_added_after_the_upgrade_is_reported(trail, marketing_lead):
    rehash_from(trail, 1, downgraded)
    record_heads(apps, None)
    trail.refresh_from_db()
    forged = audit_log(trail, marketing_lead, "viewed", "forged")
    rehash_from(trail, forged.sequence, downgraded)

    assert breaks() == [
        (6, "the unkeyed entries no longer match their seal from when the trail became keyed")
    ]


def test_the_anchored_head_is_printed_on_the_certificate(signed):
    completed = signed.agreement.audit_entries.get(action="completed")
    version = AgreementVersion.objects.get(pk=signed.pk)
    signatures = list(version.signatures.select_related("signer").order_by("order"))

    html = certificate_html(version, signatures)

    assert (version.audit_head_sequence, version.audit_head_hash) == (
        completed.sequence,
        completed.entry_hash,
    )
    assert "Audit trail head" in html
    assert f"{completed.entry_hash}</span> · entry #{completed.sequence}" in html
    assert breaks() == []


def test_an_agreement_or_an_actor_with_entries_cannot_be_deleted(trail, marketing_lead):
    with pytest.raises(ProtectedError):
        trail.delete()
    with pytest.raises(ProtectedError):
        marketing_lead.delete()
    assert trail.audit_entries.count() == 5


def test_saving_an_agreement_loaded_earlier_keeps_the_trails_head(trail, marketing_lead):
    stale = Agreement.objects.get(pk=trail.pk)
    audit_log(trail, marketing_lead, "viewed", "meanwhile")

    stale.title = "Renamed"
    stale.save()

    assert breaks() == []
    assert Agreement.objects.get(pk=trail.pk).title == "Renamed"


@pytest.mark.postgres
def test_postgresql_refuses_to_update_or_delete_an_audit_entry(trail):
    entry = trail.audit_entries.get(sequence=2)

    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk)._raw_delete(connection.alias)

    assert AuditEntry.objects.get(pk=entry.pk).entry_hash == entry.entry_hash
    assert breaks() == []
