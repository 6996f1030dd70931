from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from slaportal.client_ip import client_ip
from slaportal.rate_limits import over_limit

from . import api
from .calculator import MAX_SOURCES, MAX_STREAMS, NON_FIELD_ERRORS, FunnelInputError
from .forms import CalculatorForms, example_plan
from .localized import calculate_localized
from .presentation import results_context

API_METHODS = ("GET", "POST")


def _errors(errors: dict[str, list[str]], status: int) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status)


# Stateless and anonymous: no session or cookie is read, so there is nothing to forge.
@csrf_exempt
def calculate_api(request):
    """``GET`` (query string) or ``POST`` (JSON body) a plan; answer its reverse funnel."""
    if request.method not in API_METHODS:
        response = _errors({NON_FIELD_ERRORS: [_("Use GET or POST.")]}, status=405)
        response["Allow"] = ", ".join(API_METHODS)
        return response
    if _too_many(request):
        response = _errors(
            {NON_FIELD_ERRORS: [_("Too many requests from your address. Try again in a minute.")]},
            status=429,
        )
        response["Retry-After"] = str(settings.FUNNEL_API_RATE_WINDOW_SECONDS)
        return response
    try:
        if request.method == "GET":
            data = api.plan_data_from_query(request)
        else:
            data = api.plan_data_from_body(request)
        result = calculate_localized(data)  # text values in the request's language
    except api.BadRequest as error:
        return _errors({NON_FIELD_ERRORS: [error.message]}, status=error.status)
    except FunnelInputError as error:
        return _errors(error.errors, status=400)
    return JsonResponse(result.to_dict())


def _too_many(request) -> bool:
    # Anonymous and unauthenticated: each call may compute a large plan, so it is bounded per
    # client address on the shared cache (every gunicorn worker counts the same calls).
    return over_limit(
        "funnel-api",
        client_ip(request) or "unknown",
        limit=settings.FUNNEL_API_RATE_LIMIT,
        window_seconds=settings.FUNNEL_API_RATE_WINDOW_SECONDS,
    )


def _calculator_context(data) -> dict:
    calculator = CalculatorForms(data)
    result = calculator.calculate()
    return {
        "calculator": calculator,
        "funnel": results_context(result) if result else None,
        "max_streams": MAX_STREAMS,
        "max_sources": MAX_SOURCES,
    }


# The calculator changes nothing and remembers nothing, so a forged post gains nothing; and a
# CSRF token rotated by a sign-in in another tab would otherwise stop the live updates silently.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def calculator(request):
    """The public calculator page; opens on the seed example. Without JavaScript, the Calculate
    button posts the whole page back here."""
    data = request.POST if request.method == "POST" else example_plan()
    return render(request, "funnel/calculator.html", _calculator_context(data))


@csrf_exempt  # as calculator()
@require_POST
def calculator_results(request):
    """The results alone, posted as the user types (htmx). Field errors travel out of band, so
    the inputs being typed in are never replaced."""
    return render(request, "funnel/_live_results.html", _calculator_context(request.POST))
