# Location platform API: build stage, then a slim Node 24 runtime with
# production dependencies only, as a non-root user. The same steps run
# without Docker in .ci/production-path.sh (CI cannot run Docker).

# ---- build: full install (devDependencies: tsx, esbuild, prisma), generate, compile
FROM node:24-bookworm-slim AS build
WORKDIR /app
# postinstall patches dependencies and generates the Prisma client from the schemas: it needs the sources.
COPY . .
RUN npm ci --no-audit --no-fund
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: dist/ + production node_modules, nothing else
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=4000 HOST=0.0.0.0 DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json /app/package-lock.json ./
COPY --from=build --chown=root:root /app/node_modules node_modules
COPY --from=build --chown=root:root /app/dist dist
COPY --from=build --chown=root:root /app/server/tools/launch.mjs /app/server/tools/postinstall.mjs server/tools/
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node as PID 1 receives SIGTERM directly and exits 0 after a graceful stop (server/shutdown.ts).
CMD ["node", "dist/server/main.js"]
