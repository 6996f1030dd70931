"""The Celery app. Configuration lives in settings (CELERY_* names); see settings.py.

Start a worker and beat against Redis:
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 celery -A slaportal worker -l info
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 celery -A slaportal beat -l info
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slaportal.settings")

app = Celery("slaportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
