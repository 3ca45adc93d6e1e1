# One image for the worker, the API and the bot; docker-compose.temporal.yml picks each one's command.
#   docker build -t cvety-orders .
# Build stage: dependencies without install scripts (scripts/setup.sh's Temporal CLI is for development), the Prisma
# client, and the workflow bundle built ahead of time so the worker starts without webpack.
ARG NODE_IMAGE=node:20.19-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN PRISMA_SCHEMA_ENGINE_BINARY=/bin/true CHECKPOINT_DISABLE=1 node_modules/.bin/prisma generate \
  && npm run build:workflows -- dist/workflow-bundle.js \
  && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# Runtime stage: slim Debian, the code owned by root and read-only to the app, which runs as the unprivileged `node`.
FROM ${NODE_IMAGE}
# MALLOC_ARENA_MAX: two glibc arenas instead of eight per core; the worker's SDK core allocates from many threads
# (workers/process-settings.ts, measured in bench/README.md "Open orders").
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js \
    WORKER_LISTEN_HOST=0.0.0.0 \
    API_PORT=3000 \
    WORKER_HTTP_PORT=3001 \
    WORKER_SDK_METRICS_PORT=9464
WORKDIR /app
COPY --from=build /app /app
USER node
# API, worker health + business metrics, the Temporal SDK's metrics.
EXPOSE 3000 3001 3002 9464
ENTRYPOINT ["node"]
# The worker with its V8 heap limits and its launcher, which loads tsx itself (WORKER_NODE_FLAGS and WORKER_ENTRY of
# workers/process-settings.ts); other services name theirs with tsx's loader: `--import tsx api/main.ts`.
CMD ["--max-old-space-size=512", "--max-semi-space-size=4", "workers/launch.cjs"]
