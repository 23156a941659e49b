# syntax=docker/dockerfile:1
# One recipe for all six Baton apps; APP picks which one the image runs:
#   docker build --build-arg APP=agent-manager --build-arg PORT=3002 -t baton/agent-manager .

# ---- build: compiles every app once. APP is not declared here, so this stage's
# cache is shared by all six images.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

# ---- runtime: production dependencies and compiled JavaScript only.
FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Scripts are skipped because nothing at runtime needs a postinstall step, and it keeps
# third-party install hooks out of the production image.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist

ARG APP
ARG PORT
# Fail the build, not the pod, on an unknown app or a port that does not match the app.
RUN case "$APP" in \
      gateway) want=3000 ;; \
      security-manager) want=3001 ;; \
      agent-manager) want=3002 ;; \
      workflow-engine) want=3003 ;; \
      integration-manager) want=3004 ;; \
      event-manager) want=3005 ;; \
      *) echo "unknown APP '$APP'" >&2; exit 1 ;; \
    esac; \
    [ "$PORT" = "$want" ] || { echo "APP=$APP listens on $want, got PORT='$PORT'" >&2; exit 1; }; \
    test -f "dist/apps/$APP/src/main.js"
ENV APP=${APP} PORT=${PORT}

# Files stay root-owned and read-only to the process.
USER node
EXPOSE ${PORT}
# Slim images have no curl; Node 20 has fetch.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# exec makes node PID 1 so SIGTERM reaches it directly and graceful shutdown runs.
CMD ["sh", "-c", "exec node dist/apps/$APP/src/main.js"]
