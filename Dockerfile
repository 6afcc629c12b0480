# syntax=docker/dockerfile:1
# runner-doctor image for GitLab CI jobs: Node 24 on Alpine, the CLI on PATH, running as the
# unprivileged `node` user, and no entrypoint, so GitLab's shell scripts run as they are written.

FROM node:24-alpine AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Install scripts stay off: the pinned `node` devDependency would fetch a glibc Node binary that cannot
# run on Alpine; its launcher is removed so the image's own Node 24 builds the project.
RUN npm ci --ignore-scripts --no-audit --no-fund && rm -f node_modules/.bin/node
COPY . .
# The package tarball holds exactly what `files` in package.json publishes, so the image ships the
# same thing `npm install runner-doctor` would.
RUN npm run build \
 && npm pack --ignore-scripts --pack-destination /tmp \
 && mkdir /app \
 && tar -xzf /tmp/runner-doctor-*.tgz -C /app --strip-components=1 \
 && cp package-lock.json /app/

FROM node:24-alpine
ENV NODE_ENV=production
WORKDIR /opt/runner-doctor
COPY --from=build /app ./
# Packing resets file times, so the build's V8 code cache would not match here: one lint as root writes it,
# since the unprivileged user cannot ("Speed and limits" in README.md).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force \
 && chmod 0755 bin/run.cjs \
 && ln -s /opt/runner-doctor/bin/run.cjs /usr/local/bin/runner-doctor \
 && runner-doctor --version \
 && runner-doctor lint examples --fail-on none > /dev/null \
 && ls dist/lint-bundle/*.cache
USER node
WORKDIR /home/node
ENTRYPOINT []
CMD ["runner-doctor", "--help"]
