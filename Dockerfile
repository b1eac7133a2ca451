# Production image: gunicorn serving Django + Wagtail, static files by WhiteNoise.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=lms.settings.production

# WeasyPrint needs pango; Chinese PDFs need a CJK font.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 lms
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=lms:lms . .

# Build-time only values so collectstatic can import the production settings.
RUN DJANGO_SECRET_KEY=build DATABASE_URL=sqlite:////tmp/build.db REDIS_URL=redis://build:6379/0 \
    WAGTAILADMIN_BASE_URL=http://build python manage.py compile_translations \
 && DJANGO_SECRET_KEY=build DATABASE_URL=sqlite:////tmp/build.db REDIS_URL=redis://build:6379/0 \
    WAGTAILADMIN_BASE_URL=http://build python manage.py collectstatic --noinput -v0

# Named volumes copy the owner of the folder they are mounted on: create both for the app user.
RUN mkdir -p /app/media /app/private && chown lms:lms /app/media /app/private

USER lms
EXPOSE 8000
CMD ["gunicorn", "lms.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
