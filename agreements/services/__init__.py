"""Write paths for agreements. Each runs in a transaction, locks the agreement row, refuses to
touch anything but a draft where that matters, and appends an audit entry."""

from ..sections import SECTIONS_BY_KEY
from .editing import (
    StaleEdit,
    agreement_copy,
    agreement_create,
    audit_log,
    row_create,
    row_delete,
    row_move,
    row_update,
    section_fingerprint,
    section_update,
)
from .reviews import (
    agreement_revise,
    apply_actual_rates,
    review_close,
    review_import,
    review_save,
    review_start,
    review_targets,
    send_review_reminders,
    signed_version_of,
)
from .signing import Evidence, signature_decline, signature_sign, signers_whose_turn_it_is
from .versions import IncompleteAgreement, agreement_submit, version_retry_render

__all__ = [
    "SECTIONS_BY_KEY",
    "Evidence",
    "IncompleteAgreement",
    "StaleEdit",
    "agreement_copy",
    "agreement_create",
    "agreement_revise",
    "agreement_submit",
    "apply_actual_rates",
    "audit_log",
    "review_close",
    "review_import",
    "review_save",
    "review_start",
    "review_targets",
    "row_create",
    "row_delete",
    "row_move",
    "row_update",
    "section_fingerprint",
    "section_update",
    "send_review_reminders",
    "signature_decline",
    "signature_sign",
    "signed_version_of",
    "signers_whose_turn_it_is",
    "version_retry_render",
]
