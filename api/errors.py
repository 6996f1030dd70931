"""Errors in the one shape every endpoint answers with (the funnel API's):
`{"errors": {field: [message, ...]}}`, with `__all__` for what is not about one field."""

from django.http import JsonResponse

NON_FIELD = "__all__"


class ApiError(Exception):
    def __init__(self, status: int, message: str = "", *, errors=None, headers=None):
        super().__init__(message)
        self.status = status
        self.errors = errors or {NON_FIELD: [message]}
        self.headers = headers or {}


def error_response(status: int, errors: dict, headers=None) -> JsonResponse:
    response = JsonResponse({"errors": errors}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def pydantic_errors(details) -> dict[str, list[str]]:
    """ninja's validation details as field -> messages, the field a dotted path of the body."""
    errors: dict[str, list[str]] = {}
    for detail in details:
        path = ""
        for part in detail.get("loc", ()):
            if part in ("body", "payload"):
                continue
            # "rows.kpis[2]", as the section checks name a row
            path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
        errors.setdefault(path or NON_FIELD, []).append(detail.get("msg", ""))
    return errors


def form_errors(form, prefix: str = "") -> dict[str, list[str]]:
    """A Django form's errors keyed by field (`prefix` + name), in the same shape."""
    return {
        (f"{prefix}{name}" if name != NON_FIELD else (prefix.rstrip(".") or NON_FIELD)): [
            str(message) for message in messages
        ]
        for name, messages in form.errors.items()
    }
