import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .agreement import Agreement

GENESIS_HASH = "0" * 64


class AuditEntry(models.Model):
    """Append-only trail of everything done to an agreement, each entry chained to the last.

    `entry_hash` covers the entry's content and the previous entry's hash, so an edited or
    deleted entry breaks every hash after it.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="audit_entries")
    sequence = models.PositiveIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_email = models.EmailField(blank=True)
    action = models.CharField(max_length=40)
    target = models.CharField(max_length=80, blank=True)
    detail = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["agreement", "sequence"]
        verbose_name_plural = "audit entries"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "sequence"], name="audit_sequence_unique"),
        ]

    def __str__(self):
        return f"#{self.sequence} {self.action} {self.target}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries are append-only.")

    def compute_hash(self) -> str:
        payload = json.dumps(
            {
                "agreement": self.agreement_id,
                "sequence": self.sequence,
                "actor": self.actor_email,
                "action": self.action,
                "target": self.target,
                "detail": self.detail,
                "created_at": self.created_at.isoformat(),
                "prev_hash": self.prev_hash,
            },
            sort_keys=True,
            separators=(",", ":"),
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode()).hexdigest()
