# syntax=docker/dockerfile:1
# runner-doctor image for GitLab CI jobs: Node 24 on Alpine, the CLI on PATH, running as the
# unprivileged `node` user, and no entrypoint, so GitLab's shell scripts run as they are written.
#
# The base is pinned by its exact tag (the Node version of the `node` devDependency, and the Alpine release). It is
# not pinned by digest: a digest is only worth pinning when read from the registry itself, which this repository's
# tooling cannot do offline. Renovate or `docker buildx imagetools inspect` can add one.
ARG NODE_IMAGE=node:24.9.0-alpine3.22

# The build stage runs on the build machine's own platform (everything it makes is platform-independent
# JavaScript), so a multi-platform build emulates only the two short commands of the last stage.
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Install scripts stay off: the pinned `node` devDependency would fetch a glibc Node binary that cannot
# run on Alpine; its launcher is removed so the image's own Node 24 builds the project.
RUN npm ci --ignore-scripts --no-audit --no-fund && rm -f node_modules/.bin/node
COPY . .
# The package tarball holds exactly what `files` in package.json publishes, so the image ships what
# `npm install runner-doctor` would. Its dependencies are the ones installed above, pruned to production:
# the one install of the build, no second download.
RUN npm run build \
 && npm pack --ignore-scripts --pack-destination /tmp \
 && mkdir /app \
 && tar -xzf /tmp/runner-doctor-*.tgz -C /app --strip-components=1 \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && cp -R node_modules package-lock.json /app/

FROM ${NODE_IMAGE}
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG SOURCE=""
LABEL org.opencontainers.image.title="runner-doctor" \
      org.opencontainers.image.description="Lint and probe GitLab Runner on Kubernetes: Helm values, config.toml, DNS and Docker-in-Docker inside job pods." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="docker.io/library/${NODE_IMAGE}"
ENV NODE_ENV=production
WORKDIR /opt/runner-doctor
COPY --from=build /app ./
# Packing resets file times, so the build's V8 code cache would not match here: one lint as root writes it,
# since the unprivileged user cannot ("Speed and limits" in README.md).
RUN chmod 0755 bin/run.cjs \
 && ln -s /opt/runner-doctor/bin/run.cjs /usr/local/bin/runner-doctor \
 && runner-doctor --version \
 && runner-doctor lint examples --fail-on none --allow-empty > /dev/null \
 && ls dist/lint-bundle/*.cache
USER node
WORKDIR /home/node
ENTRYPOINT []
CMD ["runner-doctor", "--help"]
