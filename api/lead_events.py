"""POST /api/v1/agreements/{pk}/lead-events: the CRM sends what happened to its leads."""

import json

from django.shortcuts import get_object_or_404
from ninja import Router

from agreements.models import Agreement
from compliance.models import EventBatch
from compliance.services import MAX_EVENTS_PER_CALL, receive_events

from .auth import EVENTS
from .errors import ApiError

router = Router()

EVENT_SCHEMA = {
    "type": "object",
    "required": ["lead_id", "event", "occurred_at"],
    "properties": {
        "lead_id": {"type": "string", "maxLength": 100},
        "event": {
            "type": "string",
            "enum": [
                "created",
                "mql",
                "handed_off",
                "first_contact",
                "contact_attempt",
                "accepted",
                "rejected",
                "recycled",
                "sql",
                "opportunity",
                "won",
                "lost",
            ],
        },
        "occurred_at": {"type": "string", "format": "date-time"},
        "source": {"type": "string", "maxLength": 120},
        "stream": {"type": "string", "maxLength": 120},
        "owner": {"type": "string", "maxLength": 120},
        "reason": {"type": "string", "maxLength": 120},
        "amount": {"type": ["number", "string", "null"]},
    },
}
RESULT_SCHEMA = {
    "type": "object",
    "properties": {
        "received": {"type": "integer"},
        "stored": {"type": "integer"},
        "duplicates": {"type": "integer"},
        "rejected": {"type": "integer"},
        "rejections": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "index": {"type": "integer"},
                    "lead_id": {"type": ["string", "null"]},
                    "errors": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        },
    },
}


@router.post(
    "/agreements/{pk}/lead-events",
    auth=EVENTS,
    tags=["lead events"],
    summary="Send lead events",
    description=(
        "A JSON array of up to 10,000 events. Each (lead_id, event, occurred_at) is stored "
        "once: sending an event again counts it as a duplicate. `occurred_at` is ISO 8601 "
        "with an offset. Invalid events are rejected one by one with their reasons; the "
        "others are stored."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "array",
                        "maxItems": MAX_EVENTS_PER_CALL,
                        "items": EVENT_SCHEMA,
                    }
                }
            },
        },
        "responses": {
            200: {
                "description": "What became of each event",
                "content": {"application/json": {"schema": RESULT_SCHEMA}},
            }
        },
    },
)
def send_lead_events(request, pk: int):
    agreement = get_object_or_404(Agreement, pk=pk, organization=request.auth.organization)
    try:
        items = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, errors={"events": ["The body is not valid JSON."]}) from None
    if not isinstance(items, list):
        raise ApiError(400, errors={"events": ["Send a JSON array of events."]})
    if len(items) > MAX_EVENTS_PER_CALL:
        raise ApiError(
            413,
            errors={
                "events": [
                    f"At most {MAX_EVENTS_PER_CALL:,} events per request; "
                    f"this has {len(items):,}. Send them in several requests."
                ]
            },
        )
    result = receive_events(
        agreement,
        items,
        channel=EventBatch.Channel.API,
        actor=request.auth.created_by,
        api_token=request.auth,
    )
    return result.as_dict()
