# Production image: gunicorn serves the web app; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock

COPY . .
# Static files are collected at build time; the placeholder values below exist only for this step.
RUN DEBUG=false ALLOWED_HOSTS=build \
    SECRET_KEY=build-only-placeholder-never-used-at-run-time-0123456789abcdef \
    DATABASE_URL=postgresql://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    STATIC_ROOT=/app/staticfiles python manage.py collectstatic --no-input \
    && useradd --system --uid 10001 --home /app replikasi \
    && mkdir -p /data/media && chown replikasi /data/media

USER replikasi
ENV STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/data/media
EXPOSE 8000
CMD ["gunicorn", "replikasi.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
