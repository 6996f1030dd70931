"""The audit trail as evidence inside a signed PDF: every entry as JSON, and a bounded summary.

The certificate of completion cannot list thousands of entries without its layout time growing
with them, so it prints the trail's size, its head and this version's most recent events, and
the whole trail travels with the file as an attachment whose SHA-256 the certificate prints.
"""

import json
from dataclasses import dataclass
from datetime import UTC

from django.db.models import Q
from django.utils import timezone

from ..models import AuditEntry
from ..versions.snapshot import sha256_hex

VERSION_EVENTS_SHOWN = 40
TRAIL_FIELDS = (
    "sequence",
    "created_at",
    "actor_id",
    "actor_email",
    "action",
    "target",
    "detail",
    "prev_hash",
    "entry_hash",
    "hmac_key_id",
)


@dataclass(frozen=True)
class TrailSummary:
    file_name: str
    data: bytes
    sha256: str
    count: int
    first_at: str
    last_at: str
    version_events: list
    earlier_version_events: int


def trail_json(version) -> tuple[bytes, list[dict]]:
    """Every entry of the agreement's trail so far, as the chain check reads them: the JSON
    document and its entries."""
    entries = AuditEntry.objects.filter(agreement_id=version.agreement_id).order_by("sequence")
    rows = []
    for row in entries.values(*TRAIL_FIELDS):
        row["created_at"] = row["created_at"].astimezone(UTC).isoformat()
        rows.append(row)
    document = {
        "format": "slaportal-audit-trail/1",
        "agreement": {"id": version.agreement_id, "title": version.agreement.title},
        "version": version.number,
        "document_id": version.document_id,
        "exported_at": timezone.now().astimezone(UTC).isoformat(),
        "head_when_completed": {
            "sequence": version.audit_head_sequence,
            "entry_hash": version.audit_head_hash,
        },
        "hashing": (
            "entry_hash = HMAC-SHA256 under the server key named by hmac_key_id over the entry's "
            "content and prev_hash; entries without a key id use plain SHA-256"
        ),
        "entries": rows,
    }
    return json.dumps(document, ensure_ascii=False, indent=1, default=str).encode(), rows


def summarise_trail(version) -> TrailSummary:
    data, rows = trail_json(version)
    label = f"version {version.number}"
    own = AuditEntry.objects.filter(
        Q(target=label) | Q(target__startswith=f"{label} "), agreement_id=version.agreement_id
    )
    shown = list(own.order_by("-sequence")[:VERSION_EVENTS_SHOWN])[::-1]
    total_own = own.count() if len(shown) == VERSION_EVENTS_SHOWN else len(shown)
    return TrailSummary(
        file_name=f"{version.document_id}-audit-trail.json",
        data=data,
        sha256=sha256_hex(data),
        count=len(rows),
        first_at=rows[0]["created_at"][:19].replace("T", " ") if rows else "",
        last_at=rows[-1]["created_at"][:19].replace("T", " ") if rows else "",
        version_events=shown,
        earlier_version_events=total_own - len(shown),
    )
