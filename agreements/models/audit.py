import hashlib
import hmac
import json

import pgtrigger
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .agreement import Agreement

GENESIS_HASH = "0" * 64
LEGACY_KEY_ID = ""  # entries written before the trail was keyed: plain SHA-256


class UnknownAuditKey(KeyError):
    """An entry names a key id that AUDIT_HMAC_KEYS does not hold."""


def keyed_digest(key_id: str, message: str) -> str:
    """HMAC-SHA256 of `message` under the server-side audit key `key_id` (AUDIT_HMAC_KEYS)."""
    secret = settings.AUDIT_HMAC_KEYS.get(key_id) if key_id else None
    if not secret:
        raise UnknownAuditKey(key_id)
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def legacy_seal(agreement_id: int, sequence: int, entry_hash: str, key_id: str = "") -> str:
    """A keyed seal over the last unkeyed entry of a trail, written once when the trail became
    keyed: unkeyed entries past it, or a whole trail rewritten unkeyed, do not match it."""
    key_id = key_id or settings.AUDIT_HMAC_KEY_ID
    return f"{key_id}:{keyed_digest(key_id, f'legacy:{agreement_id}:{sequence}:{entry_hash}')}"


def legacy_seal_matches(seal: str, agreement_id: int, sequence: int, entry_hash: str) -> bool:
    key_id, _, _mac = seal.partition(":")
    try:
        expected = legacy_seal(agreement_id, sequence, entry_hash, key_id)
    except UnknownAuditKey:
        return False
    return bool(key_id) and hmac.compare_digest(seal, expected)


class AuditEntry(models.Model):
    """Append-only trail of everything done to an agreement, each entry chained to the last.

    `entry_hash` is an HMAC-SHA256, under the server-side key `hmac_key_id`, of the entry's
    content and the previous entry's hash, so an edited or deleted entry breaks every hash after
    it and cannot be recomputed without the key. Entries written before the trail was keyed have
    no key id and a plain SHA-256 hash. The agreement row and each completed version record the
    trail's head, so deleting its last entries shows too. On PostgreSQL a trigger refuses every
    UPDATE and DELETE of the table.
    """

    # PROTECT, not CASCADE or SET_NULL: deleting the agreement or the actor would delete or
    # rewrite entries (the actor's id is hashed).
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="audit_entries")
    sequence = models.PositiveIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_email = models.EmailField(blank=True)
    action = models.CharField(max_length=40)
    target = models.CharField(max_length=80, blank=True)
    detail = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)
    hmac_key_id = models.CharField(max_length=20, blank=True, default=LEGACY_KEY_ID)

    class Meta:
        ordering = ["agreement", "sequence"]
        verbose_name_plural = "audit entries"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "sequence"], name="audit_sequence_unique"),
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"#{self.sequence} {self.action} {self.target}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries are append-only.")

    @property
    def is_legacy(self) -> bool:
        return self.hmac_key_id == LEGACY_KEY_ID

    def compute_hash(self) -> str:
        """The entry's hash under its own key id; raises UnknownAuditKey for a key this server
        does not hold."""
        content = {
            "agreement": self.agreement_id,
            "sequence": self.sequence,
            "actor": self.actor_email,
            "action": self.action,
            "target": self.target,
            "detail": self.detail,
            "created_at": self.created_at.isoformat(),
            "prev_hash": self.prev_hash,
        }
        if self.is_legacy:  # exactly what was hashed before keys: the hashes stay valid
            return hashlib.sha256(_canonical(content).encode()).hexdigest()
        content.update(actor_id=self.actor_id, hmac_key_id=self.hmac_key_id)
        return keyed_digest(self.hmac_key_id, _canonical(content))


def _canonical(content: dict) -> str:
    return json.dumps(
        content,
        sort_keys=True,
        separators=(",", ":"),
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
    )
