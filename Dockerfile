# syntax=docker/dockerfile:1

# Build stage: the same commands CI runs (npm ci, npm run build). better-sqlite3 is a native
# addon, so the toolchain to compile it is needed here and only here.
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build \
  && npm prune --omit=dev

# Runtime stage: compiled code and production dependencies only, as an unprivileged user.
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Ready means the database answers; the image has no curl, so Node itself asks.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Migrations run at start-up; set DATABASE_URL=mysql://USER:PASS@HOST:3306/DB for MySQL/MariaDB.
# node is PID 1 and receives SIGTERM itself: in-flight requests finish within SHUTDOWN_GRACE_SECONDS.
# The heap cap makes V8 collect garbage before it piles up: the live heap under load is ~45 MB,
# but with memory to spare V8 let the heap reach 180 MB between collections. The cap also shrank
# the young generation, so objects of requests still in flight were promoted and the old space
# collected several times a second: 32 MB semi-spaces keep them young (BENCHMARKS.md).
# npm run bench starts the app with exactly this command.
STOPSIGNAL SIGTERM
CMD ["node", "--max-old-space-size=192", "--max-semi-space-size=32", "dist/main.js"]
