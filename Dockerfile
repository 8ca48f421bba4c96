# The service's image; docker-compose.yml runs it as `qaward api`, `qaward worker` and
# `qaward migrate`. Dependencies are pinned by constraints.txt, as in `make install`.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/qaward
ENV PATH=/opt/qaward/bin:$PATH
WORKDIR /src
COPY . .
RUN pip install -c constraints.txt .

FROM python:3.11-slim
# `qaward api` serves with uvloop and httptools and no access log (api/serve.py); two
# processes share its port, one per core of a small county server (more: raise it, or run
# more `api` replicas behind the proxy).
ENV PATH=/opt/qaward/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    QAWARD_API_WORKERS=2
# The documents' PDFs (WeasyPrint): Pango and the CJK fonts it embeds (never downloaded at run time).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/qaward /opt/qaward
RUN useradd --system --create-home --uid 10001 --user-group qaward \
    && install -d -o qaward -g qaward /home/qaward/data
USER qaward
WORKDIR /home/qaward
EXPOSE 8000
CMD ["qaward", "api"]
