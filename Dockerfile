# Production image: gunicorn serves the app, whitenoise the static files.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/* \
 && pip install --no-cache-dir uv

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
# Hashed files and the manifest the production storage reads (DEBUG off, as at run time; no
# SECRET_KEY needed to build, while every serving process refuses to start without one).
RUN bin/prod collectstatic \
 && DEBUG=true python manage.py compilemessages --ignore=.venv -v0

RUN useradd --system --uid 10001 slaportal && mkdir -p /data/media && chown slaportal /data/media
USER slaportal
ENV MEDIA_ROOT=/data/media
EXPOSE 8000
CMD ["bin/prod", "web"]
