# FootCare bot image. Build with `make image` (it makes the pinned base image first when it is
# missing), then
#   docker run -d --env-file .env -v footcare-data:/data footcare:latest
# BOT_TOKEN and other secrets come from the environment at run time, never from the image.
#
# The base image is pinned by a dated tag. footcare-base:bookworm-20261129 is Debian 12
# (bookworm) minbase with its python3 (3.11) and python3-venv, made from Debian packages by
# deploy/make-base-image.sh where no image registry is reachable (README, "Container image").
# Any Debian-based image with python3 >= 3.11 and the venv module should work too, e.g.
#   docker build --build-arg BASE_IMAGE=python:3.11.14-slim-bookworm .
ARG BASE_IMAGE=footcare-base:bookworm-20261129

# ---- build: wheels for the package and its dependencies, installed into /opt/venv ----------
FROM ${BASE_IMAGE} AS build

# A package index or mirror other than PyPI, and CA certificates (PEM text) that pip must trust
# to reach it (a TLS-inspecting proxy, a private mirror), can be given at build time. These ARGs
# exist in this stage only, so none of them reaches the final image. Never pass credentials.
ARG PIP_INDEX_URL=https://pypi.org/simple
ARG PIP_EXTRA_INDEX_URL=
ARG EXTRA_CA_CERTS=
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_INDEX_URL=${PIP_INDEX_URL} \
    PIP_EXTRA_INDEX_URL=${PIP_EXTRA_INDEX_URL} \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt

RUN if [ -n "$EXTRA_CA_CERTS" ]; then \
        printf '%s\n' "$EXTRA_CA_CERTS" > /usr/local/share/ca-certificates/build-extra.crt \
        && update-ca-certificates; \
    fi

# /opt/tools holds pip (from the base's ensurepip); the runtime venv gets no pip at all.
RUN python3 -m venv /opt/tools

# The dependencies' own test suites (numpy's and matplotlib's mostly, 24 MB) are removed: the
# bot never imports them. The compiled .pyc files stay: the venv is read-only for the bot's
# user, and without them every start would compile matplotlib again.
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot/ bot/
RUN /opt/tools/bin/pip wheel --wheel-dir /wheels . \
    && python3 -m venv --without-pip /opt/venv \
    && /opt/tools/bin/pip --python /opt/venv/bin/python install --no-index \
       --find-links /wheels /wheels/footcare_bot-*.whl \
    && find /opt/venv/lib -path "*/site-packages/*" -type d -name tests -prune -exec rm -rf {} +

# ---- final: the base, the venv, the tips, a user, a volume ---------------------------------
FROM ${BASE_IMAGE}

RUN groupadd --system --gid 10001 footcare \
    && useradd --system --uid 10001 --gid footcare --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin footcare \
    && mkdir -p /data /var/cache/footcare/matplotlib \
    && chown footcare:footcare /data /var/cache/footcare/matplotlib

# The same path as in the build stage, on the same base: the venv's python links stay valid.
COPY --from=build /opt/venv /opt/venv

# tips/ is content outside the package: a non-editable install cannot find the repository's
# tips/ folder from the package location, so it is copied here and named by TIPS_DIR. The
# countries and escalation rules are package data and come with the installed package.
COPY tips/ /app/tips/

# MPLCONFIGDIR: matplotlib's config and font cache in a folder the bot's user owns (its home
# does not exist, so the default ~/.config/matplotlib would warn and rebuild at every start).
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MPLCONFIGDIR=/var/cache/footcare/matplotlib \
    DATABASE_PATH=/data/footcare.db \
    TIPS_DIR=/app/tips \
    PTB_TIMEDELTA=true

WORKDIR /app
# Numeric, so runAsNonRoot checks (Kubernetes) can verify it without reading /etc/passwd.
USER 10001:10001

# Build matplotlib's font cache now, as the bot's user, so a start does not spend seconds on it.
RUN python -c "import matplotlib.font_manager as fm; fm.fontManager.findfont('DejaVu Sans')"

# The database lives on a volume owned by the bot's user; the rest of the image is read-only
# for it.
VOLUME /data

CMD ["python", "-m", "bot", "run"]
