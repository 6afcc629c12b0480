# syntax=docker/dockerfile:1
# runner-doctor image for GitLab CI jobs: Node 24 on Alpine, the CLI on PATH, running as the
# unprivileged `node` user, and no entrypoint, so GitLab's shell scripts run as they are written.
#
# The base is pinned by its exact tag (the Node version of the `node` devDependency, and the Alpine release) and by
# the digest of that tag's multi-platform index, so a rebuilt tag cannot change the image under the same version.
# The digest is the one Renovate recorded for this tag in public Dockerfiles; this repository's tooling cannot read
# the registry offline, and a digest that is wrong fails the build at the pull, never builds on something else.
# Update both together: `docker buildx imagetools inspect node:<tag>` prints the index digest.
ARG NODE_IMAGE=node:24.9.0-alpine3.22
ARG NODE_DIGEST=sha256:77f3c4d1f33c17dfa4af4b0add57d86957187873e313c2c37f52831d117645c8

# The build stage runs on the build machine's own platform (everything it makes is platform-independent
# JavaScript), so a multi-platform build emulates only the two short commands of the last stage.
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE}@${NODE_DIGEST} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Install scripts stay off: the pinned `node` devDependency would fetch a glibc Node binary that cannot
# run on Alpine; its launcher is removed so the image's own Node 24 builds the project.
RUN npm ci --ignore-scripts --no-audit --no-fund && rm -f node_modules/.bin/node
COPY . .
# The package tarball holds exactly what `files` in package.json publishes, so the image ships what
# `npm install runner-doctor` would. Its dependencies are the ones installed above, cut to production from npm's
# cache (--offline: no second download). @kubernetes/client-node is also a devDependency (so a clone builds where
# npm skips the optional install), which marks it dev in the lockfile: that listing is dropped first, or the cut
# would remove it and the image's probe could not reach a cluster.
RUN npm run build \
 && npm pack --ignore-scripts --pack-destination /tmp \
 && mkdir /app \
 && tar -xzf /tmp/runner-doctor-*.tgz -C /app --strip-components=1 \
 && npm pkg delete devDependencies.@kubernetes/client-node \
 && npm install --offline --omit=dev --ignore-scripts --no-audit --no-fund \
 && cp -R node_modules package-lock.json /app/

FROM ${NODE_IMAGE}@${NODE_DIGEST}
# Arguments declared before the first FROM are empty inside a stage unless declared again there.
ARG NODE_IMAGE
ARG NODE_DIGEST
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG SOURCE=""
LABEL org.opencontainers.image.title="runner-doctor" \
      org.opencontainers.image.description="Lint and probe GitLab Runner on Kubernetes: Helm values, config.toml, DNS and Docker-in-Docker inside job pods." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="docker.io/library/${NODE_IMAGE}" \
      org.opencontainers.image.base.digest="${NODE_DIGEST}"
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
