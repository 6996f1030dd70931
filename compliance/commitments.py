"""The commitments the compliance page measures: those of the signed version in force, read
from its frozen snapshot (a later draft changes nothing until it is signed)."""

import hashlib
import json
from dataclasses import dataclass
from datetime import time
from decimal import Decimal

from agreements.models import AgreementVersion, CommitmentMetric, VersionState
from agreements.models.measures import inferred_metric

from .calendar import WorkingCalendar
from .leads import FoldRules

# Without follow-up steps, the cadence lasts what the recycling rule allows, else eight weeks.
DEFAULT_CADENCE_DAYS = 56


@dataclass(frozen=True)
class MeasuredCommitment:
    index: int  # position in the version's commitments: the cells' "commitment:<index>"
    team: str
    text: str
    metric: str
    threshold: Decimal
    unit: str
    share: Decimal  # the share of leads that must meet it, in percent
    scope: str
    inferred: bool  # the version predates named measures: recognised from team and unit

    @property
    def metric_label(self) -> str:
        return str(CommitmentMetric(self.metric).label)

    @property
    def key(self) -> str:
        return f"commitment:{self.index}"

    def threshold_hours(self, calendar: WorkingCalendar) -> float:
        return calendar.threshold_hours(self.threshold, self.unit)


@dataclass(frozen=True)
class Plan:
    """What the version in force asks for, in the form the measurement uses."""

    version: AgreementVersion
    calendar: WorkingCalendar
    cadence_days: int
    commitments: list[MeasuredCommitment]
    funnel: dict | None  # the frozen funnel targets (months with bands)
    currency: str

    @property
    def rules(self) -> FoldRules:
        return FoldRules(self.calendar, self.cadence_days)

    @property
    def fingerprint(self) -> str:
        """Changes when the lead records must be folded again (calendar or cadence)."""
        data = [self.version.pk, self.calendar.time_zone, self.calendar.working_days]
        data += [str(self.calendar.day_start), str(self.calendar.day_end), self.cadence_days]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()


def version_in_force(agreement) -> AgreementVersion | None:
    return (
        AgreementVersion.objects.filter(agreement=agreement, state=VersionState.SIGNED)
        .order_by("-number")
        .first()
    )


def plan_of(version: AgreementVersion) -> Plan:
    snapshot = version.snapshot
    data = snapshot["agreement"]
    calendar = WorkingCalendar(
        data.get("time_zone") or "UTC",
        data.get("working_days") or "12345",
        time.fromisoformat(data.get("workday_start") or "09:00:00"),
        time.fromisoformat(data.get("workday_end") or "17:00:00"),
    )
    steps = snapshot["rows"].get("steps", [])
    if steps:
        cadence = max(int(step["day"]) for step in steps) + 1
    else:
        cadence = int(data.get("recycle_after_days") or DEFAULT_CADENCE_DAYS)
    commitments = []
    for index, row in enumerate(snapshot["rows"].get("commitments", [])):
        threshold = None if row.get("threshold") is None else Decimal(row["threshold"])
        metric = row.get("metric")
        inferred = metric is None
        if inferred:
            metric = inferred_metric(
                team=row["team"],
                unit=row.get("unit", ""),
                threshold=threshold,
                acceptance_hours=data.get("sal_acceptance_hours"),
            )
        if not metric or threshold is None:
            continue
        commitments.append(
            MeasuredCommitment(
                index=index,
                team=row["team"],
                text=row["commitment"],
                metric=str(metric),
                threshold=threshold,
                unit=row.get("unit", ""),
                share=Decimal(row.get("share") or 100),
                scope=row.get("scope", ""),
                inferred=inferred,
            )
        )
    return Plan(
        version=version,
        calendar=calendar,
        cadence_days=cadence,
        commitments=commitments,
        funnel=snapshot.get("funnel"),
        currency=data.get("currency") or "EUR",
    )
