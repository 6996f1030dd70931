# The few commands people type. The README's two commands are bin/run and bin/test.
.PHONY: run test lint fmt ci worker beat migrations

run:            ## set up and run the app on http://127.0.0.1:8000
	bin/run
test:           ## the whole test suite
	bin/test
lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
fmt:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .
ci:             ## what CI runs (needs PostgreSQL and Redis on 127.0.0.1)
	CI=true bash .ci/run
worker:         ## a Celery worker against CELERY_BROKER_URL (default: local Redis)
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0} DEBUG=true .venv/bin/celery -A slaportal worker -l info
beat:
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0} DEBUG=true .venv/bin/celery -A slaportal beat -l info
migrations:
	DEBUG=true .venv/bin/python manage.py makemigrations
