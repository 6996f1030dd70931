"""What the API answers and accepts, as pydantic schemas (they make the OpenAPI document)."""

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema


class Errors(Schema):
    errors: dict[str, list[str]] = Field(
        description='Messages by field ("fields.title", "rows.kpis[2].target"); "__all__" for '
        "the request as a whole."
    )


class Links(Schema):
    page: str
    api: str


class AgreementSummary(Schema):
    id: int
    title: str
    status: str
    language: str
    updated_at: datetime
    next_review_due: str | None
    links: Links


class AgreementPage(Schema):
    count: int
    page: int
    pages: int
    results: list[AgreementSummary]


class VersionSummary(Schema):
    number: int
    state: str
    pdf_status: str
    signed_pdf_status: str
    created_at: datetime
    links: dict[str, str]


class Section(Schema):
    number: int
    title: str
    fields: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]]


class AgreementDetail(AgreementSummary):
    created_at: datetime
    sections: dict[str, Section]
    versions: list[VersionSummary]


class SectionChange(Schema):
    fields: dict[str, Any] = Field(
        default_factory=dict, description="Fields to set; fields not named keep their value."
    )
    rows: dict[str, list[dict[str, Any]]] = Field(
        default_factory=dict,
        description="Row lists to replace: a row with an id is updated, one without is added, "
        "and a row left out is removed.",
    )


class AgreementCreate(Schema):
    title: str = Field(min_length=1, max_length=200)
    template: Literal["recommended", "blank"] = "recommended"
    language: Literal["en", "de", "it", "tr", "zh-hans"] | None = None
    sections: dict[str, SectionChange] = Field(
        default_factory=dict, description="Changes applied to the new draft, by section key."
    )


class Signatory(Schema):
    name: str
    email: str
    role: str
    order: int
    status: str
    signed_at: datetime | None
    declined_at: datetime | None
    decline_reason: str


class VersionDetail(VersionSummary):
    pdf_error: str
    page_count: int | None
    completed_at: datetime | None
    snapshot_sha256: str
    signed_pdf_sha256: str
    signatories: list[Signatory]


class Actual(Schema):
    metric: str
    label: str
    month: str
    target: str | None
    actual: str
    origin: str = Field(description="typed, imported (a CSV) or measured (from lead events)")


class Review(Schema):
    id: int
    version: int
    due_on: str
    held_on: str | None
    period_start: str
    period_end: str
    decision: str
    closed: bool
    actuals: list[Actual]
