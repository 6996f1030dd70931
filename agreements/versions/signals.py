"""What the versions package tells the packages built on it, without importing them."""

from django.dispatch import Signal

# Sent (after commit) when a version's contract PDF is ready: signing invites the signatories.
# Arguments: version_id.
contract_pdf_ready = Signal()
