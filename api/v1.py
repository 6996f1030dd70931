"""The versioned API: one NinjaAPI, its error shape, and its documentation served by the app."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger

from .endpoints import router
from .errors import NON_FIELD, ApiError, error_response, pydantic_errors
from .lead_events import router as lead_events_router

api = NinjaAPI(
    title="SLA Portal API",
    version="1",
    description=(
        "Token-authenticated access to one organisation's service-level agreements: drafts, "
        "versions, PDFs, reviews, the funnel, and the CRM's lead events that compliance is "
        "measured from. Send `Authorization: Bearer <token>`; an "
        "owner creates tokens under the organisation's settings. Errors always read "
        '`{"errors": {field: [messages]}}`.'
    ),
    urls_namespace="api-v1",
    docs=Swagger(),  # served from ninja's bundled static files, no CDN
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/", router)
api.add_router("/", lead_events_router)


@api.exception_handler(ApiError)
def _api_error(request, error: ApiError):
    return error_response(error.status, error.errors, error.headers)


@api.exception_handler(Http404)
def _not_found(request, error):
    # Another organisation's agreement is "not found" too: a token cannot learn it exists.
    return error_response(404, {NON_FIELD: ["Not found in this token's organisation."]})


@api.exception_handler(ValidationError)
def _validation_error(request, error: ValidationError):
    return error_response(400, pydantic_errors(error.errors))


@api.exception_handler(AuthenticationError)
def _authentication_error(request, error):
    return error_response(401, {NON_FIELD: ["Send a valid API token."]})


@api.exception_handler(HttpError)
def _http_error(request, error: HttpError):
    return error_response(error.status_code, {NON_FIELD: [str(error)]})
