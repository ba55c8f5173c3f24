# syntax=docker/dockerfile:1
# Extraction service image. One image, three uses: ROLE=api, ROLE=worker, ROLE=all (default), and
# `node dist/scripts/prepare-database.js` to create the database and run the migrations.

# ---- build: full dependencies, compile, then drop dev dependencies ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
# @scarf/scarf (a transitive install script) phones home unless told not to.
ENV SCARF_ANALYTICS=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false

COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

COPY nest-cli.json tsconfig.json tsconfig.build.json ormconfig.ts ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
RUN npx nest build \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime: compiled code and production dependencies only, non-root ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    ROLE=all \
    PORT=3000 \
    SCARF_ANALYTICS=false
WORKDIR /app

COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# Local storage (STORAGE_DRIVER=local) writes under /app/.data; with S3 it stays empty.
RUN mkdir -p /app/.data && chown node:node /app/.data

USER node
EXPOSE 3000
# Liveness only: readiness (/health) also checks PostgreSQL, Redis and storage.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
