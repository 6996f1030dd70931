"""Production settings plus bench_pages.py's trivial view (bench/pages_urls.py); used only by
the benchmark's gunicorn and query counts, never deployed."""

from slaportal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.pages_urls"
