# syntax=docker/dockerfile:1
# One multi-stage image for every process of the stack. Build one with:
#   docker build --build-arg SERVICE=identity -t campus/identity .   (router: SERVICE=router)
ARG NODE_IMAGE=node:20-bookworm-slim

# 1. Only what this service needs: turbo prune keeps its workspace dependencies and a pruned lockfile.
FROM ${NODE_IMAGE} AS prune
ARG SERVICE
WORKDIR /src
COPY . .
RUN npx --yes turbo@2.11.11 prune "@campus/${SERVICE}" --docker

# 2. Install (cached on package manifests), then build.
FROM ${NODE_IMAGE} AS build
ARG SERVICE
ENV TURBO_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
WORKDIR /app
COPY --from=prune /src/out/json/ ./
COPY --from=prune /src/out/package-lock.json ./package-lock.json
COPY scripts/prisma.js scripts/prisma.js
COPY packages/contracts/scripts packages/contracts/scripts
COPY prisma prisma
COPY proto proto
RUN npm ci --no-audit --no-fund
COPY --from=prune /src/out/full/ ./
RUN npx turbo run build --filter="@campus/${SERVICE}..."

# 2b. campus/tools, the operator's image (build with SERVICE=identity): the build stage (Prisma CLI,
#     every migration, identity's sources) plus the operator scripts turbo prune leaves out. The
#     migrate and bootstrap jobs run it, and `npm run dead-letters` runs in a one-off pod of it.
FROM build AS tools
COPY scripts/bootstrap.ts scripts/dead-letters.ts scripts/

# 3. Production dependencies only.
FROM build AS prod
RUN npm prune --omit=dev --no-audit --no-fund

# 4. Small runtime: production dependencies, compiled code, contracts; non-root.
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ENV NODE_ENV=production APOLLO_TELEMETRY_DISABLED=1 SERVICE=${SERVICE} BIND_HOST=0.0.0.0
WORKDIR /app
COPY --from=prod --chown=node:node /app /app
# The router serves the checked-in composed schema (turbo prune copies workspaces only).
COPY --chown=node:node supergraph.graphql /app/supergraph.graphql
COPY --chown=node:node packages/client/persisted-operations.json /app/packages/client/persisted-operations.json
USER node
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||4000)+'/health/liveness').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# V8 flags: SERVICE_NODE_FLAGS in scripts/lib/services.ts (why), held to it by `npm run services:check`.
CMD ["sh", "-c", "exec node --max-semi-space-size=64 -r @campus/platform/telemetry-register $( [ \"$SERVICE\" = router ] && echo router || echo subgraphs/$SERVICE )/dist/main.js"]
