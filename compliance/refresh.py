"""Bringing an agreement's compliance figures up to date: fold the leads that got events, measure
the clocks still running, then rebuild the monthly cells with the database's aggregation.

Order matters for leads that get events during a refresh: a record's `dirty` flag is cleared and
committed *before* its events are read. Ingest sets the flag in the transaction that stores the
events (an upsert, which waits for this clearing to commit), so an event either is read by this
fold or leaves its lead dirty for the next one.
"""

from collections import defaultdict
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .aggregate import rebuild_cells
from .commitments import Plan, plan_of, version_in_force
from .leads import Event, fold
from .models import LeadEvent, LeadRecord, Measurement

CHUNK = 2000
_EVENT_FIELDS = ("lead_id", "event", "occurred_at", "source", "stream", "owner", "reason", "amount")
OPEN_CLOCKS = (
    Q(response_done=False) | Q(handoff_done=False) | Q(decision_done=False) | Q(cadence_done=False)
)


def refresh(agreement, now: datetime | None = None) -> Measurement | None:
    """Measure the agreement against its signed version in force; None without one."""
    now = now or timezone.now()
    version = version_in_force(agreement)
    measurement, _created = Measurement.objects.get_or_create(agreement=agreement)
    if version is None:
        return None
    plan = plan_of(version)
    if measurement.parameters != plan.fingerprint:
        LeadRecord.objects.filter(agreement=agreement).update(dirty=True)
    fold_dirty(agreement, plan, now)
    remeasure_open_clocks(agreement, plan, now)
    rebuild_cells(agreement, plan)
    # Events that arrived while this ran left their leads dirty: the page says the figures
    # are being updated, and the next refresh (queued by that ingest, or hourly) folds them.
    measurement.stale = LeadRecord.objects.filter(agreement=agreement, dirty=True).exists()
    measurement.version = version
    measurement.parameters = plan.fingerprint
    measurement.measured_at = now
    measurement.events = LeadEvent.objects.filter(agreement=agreement).count()
    measurement.leads = LeadRecord.objects.filter(agreement=agreement).count()
    measurement.save(
        update_fields=["stale", "version", "parameters", "measured_at", "events", "leads"]
    )
    return measurement


def fold_dirty(agreement, plan: Plan, now) -> int:
    folded = 0
    while True:
        ids = list(
            LeadRecord.objects.filter(agreement=agreement, dirty=True).values_list("pk", "lead_id")[
                :CHUNK
            ]
        )
        if not ids:
            return folded
        with transaction.atomic():
            LeadRecord.objects.filter(pk__in=[pk for pk, _lead in ids]).update(dirty=False)
        _fold(agreement, plan, dict(ids), now)
        folded += len(ids)


def _fold(agreement, plan: Plan, record_ids: dict[int, str], now) -> None:
    by_lead = defaultdict(list)
    for lead_id, *rest in _events_of(agreement, list(record_ids.values())):
        by_lead[lead_id].append(Event(*rest))
    values = {
        lead_id: fold(by_lead.get(lead_id, []), plan.rules, now) for lead_id in record_ids.values()
    }
    if connection.vendor == "postgresql":
        _write_postgresql(agreement, values)
        return
    # An upsert is a bulk update in one statement (bulk_update writes a CASE per field and
    # row); it leaves `dirty` alone, so an ingest that marked the lead meanwhile still counts.
    LeadRecord.objects.bulk_create(
        [
            LeadRecord(agreement=agreement, lead_id=lead_id, dirty=False, **folded)
            for lead_id, folded in values.items()
        ],
        batch_size=500,
        update_conflicts=True,
        unique_fields=["agreement", "lead_id"],
        update_fields=FOLDED_FIELDS,
    )


def _events_of(agreement, lead_ids: list[str]):
    """The leads' events as tuples of _EVENT_FIELDS. PostgreSQL: a plain cursor with one array
    parameter (the ORM's rows cost twice the time of a million-event refresh)."""
    if connection.vendor != "postgresql":
        rows = LeadEvent.objects.filter(agreement=agreement, lead_id__in=lead_ids)
        yield from rows.values_list(*_EVENT_FIELDS).iterator(chunk_size=CHUNK * 4)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(_EVENT_FIELDS)} FROM {LeadEvent._meta.db_table} "
            "WHERE agreement_id = %s AND lead_id = ANY(%s)",
            [agreement.pk, lead_ids],
        )
        yield from cursor.fetchall()


def _write_postgresql(agreement, values: dict[str, dict]) -> None:
    """The folded records COPYed into a temporary table and written with one UPDATE ... FROM:
    the records exist (ingest made them), and `dirty` is left alone."""
    table = LeadRecord._meta.db_table
    columns = [LeadRecord._meta.get_field(name).column for name in FOLDED_FIELDS]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE folded_records ON COMMIT DROP AS "
            f"SELECT lead_id, {', '.join(columns)} FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY folded_records (lead_id, {', '.join(columns)}) FROM STDIN") as copy:
            for lead_id, folded in values.items():
                copy.write_row([lead_id, *(folded[name] for name in FOLDED_FIELDS)])
        assignments = ", ".join(f"{column} = f.{column}" for column in columns)
        cursor.execute(
            f"UPDATE {table} AS r SET {assignments} FROM folded_records AS f "
            "WHERE r.agreement_id = %s AND r.lead_id = f.lead_id",
            [agreement.pk],
        )
        cursor.execute("DROP TABLE folded_records")


FOLDED_FIELDS = [
    field.name
    for field in LeadRecord._meta.concrete_fields
    if field.name not in {"id", "agreement", "lead_id", "dirty"}
]


def remeasure_open_clocks(agreement, plan: Plan, now) -> int:
    """Records whose clocks still ran at the last fold: their hours grow with time (a lead
    waiting past the threshold turns from pending to missed without any new event)."""
    ids = dict(
        LeadRecord.objects.filter(OPEN_CLOCKS, agreement=agreement, dirty=False).values_list(
            "pk", "lead_id"
        )
    )
    items = list(ids.items())
    for start in range(0, len(items), CHUNK):
        _fold(agreement, plan, dict(items[start : start + CHUNK]), now)
    return len(ids)
