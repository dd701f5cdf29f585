# FootCare bot image: `docker build -t footcare .` then
#   docker run -d --env-file .env -v footcare-data:/data footcare
# BOT_TOKEN and other secrets come from the environment at run time, never from the image.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 footcare \
    && useradd --system --uid 10001 --gid footcare --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin footcare

# Install the package (a regular, non-editable install) and drop the build sources, so the
# code that runs is the installed copy in site-packages.
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot/ bot/
RUN pip install --no-cache-dir . \
    && rm -rf /src

# tips/ is content outside the package: a non-editable install cannot find the repository's
# tips/ folder from the package location, so it is copied here and named by TIPS_DIR.
COPY tips/ /app/tips/

# The database lives on a volume owned by the bot's user; the image stays read-only for it.
RUN mkdir -p /data && chown footcare:footcare /data

ENV DATABASE_PATH=/data/footcare.db \
    TIPS_DIR=/app/tips \
    PTB_TIMEDELTA=true \
    PYTHONUNBUFFERED=1

VOLUME /data
WORKDIR /app
USER footcare

CMD ["python", "-m", "bot", "run"]
