"""What the CRM says happened to each lead (events), what that means per lead (LeadRecord) and
per month and group (ComplianceCell), for the agreement whose signed commitments it measures."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agreements.models import Agreement, AgreementVersion


class LeadEventType(models.TextChoices):
    CREATED = "created", pgettext_lazy("lead event", "Created")
    MQL = "mql", _("Became an MQL")
    HANDED_OFF = "handed_off", _("Handed off to sales")
    FIRST_CONTACT = "first_contact", _("First contact")
    CONTACT_ATTEMPT = "contact_attempt", _("Contact attempt")
    ACCEPTED = "accepted", _("Accepted by sales")
    REJECTED = "rejected", _("Rejected by sales")
    RECYCLED = "recycled", _("Recycled to marketing")
    SQL = "sql", _("Became an SQL")
    OPPORTUNITY = "opportunity", _("Became an opportunity")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class EventColumnMapping(models.Model):
    """How an organisation's CRM export names the event fields, remembered from the last upload
    that was stored: {"lead_id": "Record ID", "event": "Stage", ...}, and the time zone its
    times without an offset are in."""

    organization = models.OneToOneField(
        "organizations.Organization", on_delete=models.CASCADE, related_name="event_mapping"
    )
    columns = models.JSONField(default=dict)
    time_zone = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"event columns of {self.organization_id}"


class EventBatch(models.Model):
    """One upload or API call that brought events in: who, how, and what came of it."""

    class Channel(models.TextChoices):
        CSV = "csv", _("CSV upload")
        API = "api", _("API")
        SEED = "seed", _("Generated demo data")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="event_batches")
    channel = models.CharField(max_length=8, choices=Channel)
    filename = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    api_token = models.ForeignKey(
        "api.ApiToken", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received = models.PositiveIntegerField(default=0)
    stored = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_channel_display()} {self.created_at:%Y-%m-%d %H:%M}"


class LeadEvent(models.Model):
    """One thing that happened to one lead, as the CRM recorded it. The same lead, event and
    moment arriving again (a re-export, a retried call) is the same event: stored once."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="lead_events")
    lead_id = models.CharField(max_length=100)
    event = models.CharField(max_length=16, choices=LeadEventType)
    occurred_at = models.DateTimeField()
    source = models.CharField(max_length=120, blank=True)
    stream = models.CharField(max_length=120, blank=True)
    owner = models.CharField(max_length=120, blank=True)
    reason = models.CharField(max_length=120, blank=True)
    amount = models.DecimalField(max_digits=15, decimal_places=2, null=True, blank=True)
    batch = models.ForeignKey(
        EventBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "lead_id", "event", "occurred_at"],
                name="lead_event_once",
            ),
            models.CheckConstraint(
                condition=Q(event__in=LeadEventType.values), name="lead_event_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="lead_event_amount_not_negative",
            ),
            models.CheckConstraint(condition=~Q(lead_id=""), name="lead_event_has_a_lead"),
        ]

    def __str__(self):
        return f"{self.lead_id} {self.event} {self.occurred_at:%Y-%m-%d %H:%M}"


class LeadRecord(models.Model):
    """Everything the commitments need about one lead, folded from its events (leads.py):
    when each stage was reached, the clocks in business hours, the attempts in the cadence.

    A clock still running (no first contact yet) holds the business hours elapsed when the
    record was last measured, and `*_done` is false; months are on the agreement's calendar.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    lead_id = models.CharField(max_length=100)
    source = models.CharField(max_length=120, blank=True)
    stream = models.CharField(max_length=120, blank=True)
    owner = models.CharField(max_length=120, blank=True)

    created_month = models.DateField(null=True)
    mql_month = models.DateField(null=True)
    handoff_month = models.DateField(null=True)
    accepted_month = models.DateField(null=True)
    sql_month = models.DateField(null=True)
    opportunity_month = models.DateField(null=True)
    won_month = models.DateField(null=True)
    won_amount = models.DecimalField(max_digits=17, decimal_places=2, null=True)

    # The response clock starts at the hand-off (or the MQL without one); its month is the
    # month the lead counts in for response time and attempts.
    mql_at = models.DateTimeField(null=True)
    handed_off_at = models.DateTimeField(null=True)
    clock_started_at = models.DateTimeField(null=True)
    clock_month = models.DateField(null=True)
    first_touch_at = models.DateTimeField(null=True)
    response_hours = models.FloatField(null=True)
    response_done = models.BooleanField(default=False)
    handoff_hours = models.FloatField(null=True)  # MQL -> hand-off
    handoff_done = models.BooleanField(default=False)
    decided_at = models.DateTimeField(null=True)  # the first accepted or rejected after hand-off
    decision_hours = models.FloatField(null=True)  # hand-off -> accepted or rejected
    decision_done = models.BooleanField(default=False)
    rejected = models.BooleanField(default=False)
    reject_reason = models.CharField(max_length=120, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    cadence_ends_at = models.DateTimeField(null=True)
    converted_in_cadence = models.BooleanField(default=False)  # SQL before the cadence ended
    cadence_done = models.BooleanField(default=False)  # ended, converted or recycled
    # New events arrived since the record was folded: set on ingest, cleared by the refresh
    # before it reads the lead's events (refresh.py explains the order).
    dirty = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "lead_id"], name="lead_record_once")
        ]
        indexes = [
            models.Index(fields=["agreement"], condition=Q(dirty=True), name="lead_record_dirty"),
            # Clocks still running are measured again on every refresh.
            models.Index(
                fields=["agreement"],
                condition=Q(response_done=False)
                | Q(handoff_done=False)
                | Q(decision_done=False)
                | Q(cadence_done=False),
                name="lead_record_open_clocks",
            ),
        ]

    def __str__(self):
        return self.lead_id


class Measurement(models.Model):
    """Where an agreement's compliance figures stand: measured against which signed version,
    when, from how many events, and whether new events arrived since."""

    agreement = models.OneToOneField(
        Agreement, on_delete=models.CASCADE, related_name="measurement", primary_key=True
    )
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # What the lead records were folded with (calendar, cadence): another value folds again.
    parameters = models.CharField(max_length=64, blank=True)
    measured_at = models.DateTimeField(null=True)
    events = models.PositiveIntegerField(default=0)
    leads = models.PositiveIntegerField(default=0)
    stale = models.BooleanField(default=True)
    # Commitments missed in the last closed month, or on course to miss in this one (alerts.py):
    # [{"commitment", "month", "kind", "figure", "required"}]; the dashboard shows the count.
    alerts = models.JSONField(default=list)
    alert_count = models.PositiveSmallIntegerField(default=0)

    def __str__(self):
        return f"compliance of agreement {self.agreement_id}"


class ComplianceCell(models.Model):
    """One figure for one month and one group of leads (source, stream, owner): a commitment's
    met, missed or still pending leads, a stage's leads, a rejection reason, a response-time
    bucket. The page sums cells; they are rebuilt from the lead records on refresh."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    source = models.CharField(max_length=120, blank=True)
    stream = models.CharField(max_length=120, blank=True)
    owner = models.CharField(max_length=120, blank=True)
    measure = models.CharField(max_length=160)  # "commitment:3", "stage:mqls", "reason:..."
    outcome = models.CharField(max_length=8, blank=True)  # met, missed, pending (commitments)
    count = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(max_digits=17, decimal_places=2, null=True)

    class Meta:
        indexes = [models.Index(fields=["agreement", "measure", "month"], name="cell_lookup")]

    def __str__(self):
        return f"{self.measure} {self.outcome} {self.month:%Y-%m}"
