"""Receiving a batch of lead events from outside (the API, the CSV upload): check each, store
the good ones once, record the batch, and say what became of every event."""

from dataclasses import dataclass, field

from django.db import transaction

from .events import check_event
from .ingest import store_events
from .models import EventBatch

MAX_EVENTS_PER_CALL = 10_000


@dataclass
class Received:
    received: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: list[dict] = field(default_factory=list)  # {"index", "lead_id", "errors"}

    def as_dict(self) -> dict:
        return {
            "received": self.received,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "rejected": len(self.rejected),
            "rejections": self.rejected,
        }


@transaction.atomic
def receive_events(
    agreement, items: list, *, channel, actor=None, api_token=None, filename="", refresh=True
):
    """Store what can be stored and reject the rest, each rejection with its reasons: a bad
    event never holds back the good ones (the CRM resends, and duplicates are harmless).
    `refresh=False` leaves measuring to a later refresh (a bulk load of many batches)."""
    result = Received(received=len(items))
    clean = []
    for index, raw in enumerate(items):
        if not isinstance(raw, dict):
            result.rejected.append(
                {"index": index, "lead_id": None, "errors": {"event": ["Must be an object."]}}
            )
            continue
        event, errors = check_event(raw)
        if event is None:
            lead = raw.get("lead_id")
            result.rejected.append(
                {
                    "index": index,
                    "lead_id": lead if isinstance(lead, str) else None,
                    "errors": errors,
                }
            )
        else:
            clean.append(event)
    batch = EventBatch.objects.create(
        agreement=agreement,
        channel=channel,
        created_by=actor,
        api_token=api_token,
        filename=filename,
        received=result.received,
        rejected=len(result.rejected),
    )
    stored = store_events(agreement, clean, batch, refresh=refresh)
    result.stored, result.duplicates = stored.stored, stored.duplicates
    batch.stored, batch.duplicates = stored.stored, stored.duplicates
    batch.save(update_fields=["stored", "duplicates"])
    return result
