"""Storing checked events: each (lead, event, moment) once, whatever arrives twice.

On PostgreSQL the events are COPYed into a temporary table and inserted from there with
ON CONFLICT DO NOTHING (a million events in seconds); elsewhere they are inserted row by row,
ignoring the duplicates. Either way the count of rows actually inserted says how many were new.
Every lead that got an event is marked dirty, so the next refresh folds it again.
"""

from dataclasses import dataclass

from django.db import connection, transaction

from slaportal.queueing import enqueue_on_commit

from .events import CleanEvent
from .models import EventBatch, LeadEvent, LeadRecord, Measurement

BATCH = 5000
_COLUMNS = (
    "agreement_id",
    "lead_id",
    "event",
    "occurred_at",
    "source",
    "stream",
    "owner",
    "reason",
    "amount",
    "batch_id",
)


@dataclass(frozen=True)
class Stored:
    stored: int
    duplicates: int


def _rows(agreement_id, events, batch_id):
    for item in events:
        yield (
            agreement_id,
            item.lead_id,
            item.event,
            item.occurred_at,
            item.source,
            item.stream,
            item.owner,
            item.reason,
            item.amount,
            batch_id,
        )


def _insert_postgresql(rows) -> int:
    table = LeadEvent._meta.db_table
    columns = ", ".join(_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE incoming_events ON COMMIT DROP AS "
            f"SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY incoming_events ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming_events "
            "ON CONFLICT (agreement_id, lead_id, event, occurred_at) DO NOTHING"
        )
        stored = cursor.rowcount
        if stored:
            _mark_dirty_from(cursor, "incoming_events")
        cursor.execute("DROP TABLE incoming_events")
    return stored


# A new lead's record: every column the fold fills, empty; `dirty` has the refresh fold it.
_NEW_RECORD = {
    "source": "''",
    "stream": "''",
    "owner": "''",
    "response_done": "false",
    "handoff_done": "false",
    "decision_done": "false",
    "rejected": "false",
    "reject_reason": "''",
    "attempts": "0",
    "converted_in_cadence": "false",
    "cadence_done": "false",
    "dirty": "true",
}


def _mark_dirty_from(cursor, table: str) -> None:
    """The leads of the incoming events marked dirty in one statement (a row each built by the
    ORM cost most of a large ingest); a record already dirty is left alone."""
    records = LeadRecord._meta.db_table
    columns = ", ".join(["agreement_id", "lead_id", *_NEW_RECORD])
    values = ", ".join(_NEW_RECORD.values())
    cursor.execute(
        f"INSERT INTO {records} ({columns}) "
        f"SELECT DISTINCT agreement_id, lead_id, {values} FROM {table} "
        "ON CONFLICT (agreement_id, lead_id) DO UPDATE SET dirty = true "
        f"WHERE NOT {records}.dirty"
    )


def _portable(row) -> tuple:
    """A row with its moment as the backend stores datetimes (naive UTC text on SQLite)."""
    moment = connection.ops.adapt_datetimefield_value(row[3])
    return (*row[:3], moment, *row[4:])


def _insert_portable(rows) -> int:
    table = LeadEvent._meta.db_table
    columns = ", ".join(_COLUMNS)
    marks = ", ".join(["%s"] * len(_COLUMNS))
    stored = 0
    with connection.cursor() as cursor:
        rows = list(rows)
        for start in range(0, len(rows), BATCH):
            chunk = [_portable(row) for row in rows[start : start + BATCH]]
            cursor.executemany(f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({marks})", chunk)
            stored += cursor.rowcount
    return stored


def mark_dirty(agreement, lead_ids) -> None:
    """The leads' records are folded again at the next refresh (a new lead gets its record)."""
    lead_ids = sorted(set(lead_ids))
    for start in range(0, len(lead_ids), BATCH):
        LeadRecord.objects.bulk_create(
            [
                LeadRecord(agreement=agreement, lead_id=lead_id, dirty=True)
                for lead_id in lead_ids[start : start + BATCH]
            ],
            update_conflicts=True,
            unique_fields=["agreement", "lead_id"],
            update_fields=["dirty"],
        )


@transaction.atomic
def store_events(
    agreement, events: list[CleanEvent], batch: EventBatch | None = None, *, refresh=True
) -> Stored:
    """Insert the events not stored yet; a repeat within `events` or of a stored one is a
    duplicate. Marks the measurement stale and, with `refresh`, has the worker measure again
    after commit (refresh.py; tasks.py keeps to one refresh per agreement at a time)."""
    unique = list({item.key: item for item in events}.values())
    rows = _rows(agreement.pk, unique, batch.pk if batch else None)
    if connection.vendor == "postgresql":
        stored = _insert_postgresql(rows)
    else:
        stored = _insert_portable(rows)
    if stored:
        if connection.vendor != "postgresql":  # PostgreSQL marked them from the COPY's table
            mark_dirty(agreement, (item.lead_id for item in unique))
        Measurement.objects.update_or_create(agreement=agreement, defaults={"stale": True})
        if refresh:
            from .tasks import refresh_compliance

            enqueue_on_commit(refresh_compliance, agreement.pk)
    return Stored(stored=stored, duplicates=len(events) - stored)
