# syntax=docker/dockerfile:1
# Production image: gunicorn serves config.wsgi on :8000; the same image runs the Celery worker
# and beat (see docker-compose.yml). Static files and translations are built in, so the
# container needs no npm, gettext or network at run time.

# --- 1. Front-end packages from the npm registry (versions pinned by package-lock.json) -------
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- 2. Python dependencies in a virtual environment -------------------------------------------
FROM python:3.11-slim AS python-deps
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install --require-hashes -r /tmp/requirements.txt

# --- 3. Build: vendor assets and collected static files ------------------------------------------
FROM python-deps AS build
WORKDIR /app
COPY . .
COPY --from=assets /app/node_modules ./node_modules
# Settings need a production-shaped environment to load; nothing here is used at run time.
RUN /opt/venv/bin/python scripts/copy_assets.py \
 && DJANGO_ENV=production \
    DJANGO_SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    TOKEN_ENCRYPTION_KEYS=YnVpbGQtb25seS1ub3QtYS1zZWNyZXQtMDAwMDAwMDA= \
    VAR_DIR=/tmp/build-var \
    /opt/venv/bin/python manage.py collectstatic --noinput

# --- 4. Runtime ---------------------------------------------------------------------------------
FROM python:3.11-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_ENV=production \
    VAR_DIR=/app/var
# WeasyPrint renders the PDF reports with the system's Pango, in fonts installed here (Latin
# and Arabic): the same packages as scripts/system_packages.sh's runtime list; nothing is
# downloaded at run time (docs/reports.md, "Fonts").
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
    libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=python-deps /opt/venv /opt/venv
COPY --chown=app:app . .
COPY --from=build --chown=app:app /app/staticfiles ./staticfiles
# Translations compiled with polib (no gettext in the image); var/ holds uploaded media (a
# volume in docker-compose.yml) and belongs to the app user.
RUN python scripts/compile_translations.py \
 && mkdir -p /app/var/media && chown -R app:app /app/var
USER app
EXPOSE 8000
# WEB_CONCURRENCY sets gunicorn's worker count (default 1); GUNICORN_CMD_ARGS adds options.
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-", \
     "--forwarded-allow-ips", "*", "--timeout", "60"]
