#!/usr/bin/env bash
# Builds the test bed's binaries (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok) from the Go
# module in this directory, once per pin: the output directory is named after a hash of go.mod, go.sum, the main
# packages and this script, so a changed pin builds afresh and an unchanged one is reused. Prints the bin directory.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# readonly: the build never edits go.mod/go.sum (they are the pin; edits would change the cache key mid-build).
export GOTOOLCHAIN=local GOFLAGS=-mod=readonly

if ! command -v go >/dev/null 2>&1; then
  echo "test bed: Go is not installed; the test cluster is built from Go modules (Go 1.26 or newer, https://go.dev/dl)." >&2
  exit 1
fi
need_minor=26
have="$(go env GOVERSION)"
minor="$(echo "$have" | sed -E 's/^go1\.([0-9]+).*/\1/')"
if [ "${minor:-0}" -lt "$need_minor" ]; then
  echo "test bed: $have is too old; k8s.io/kubernetes v1.36 needs Go 1.$need_minor or newer." >&2
  exit 1
fi

pin="$(cd "$here" && cat go.mod go.sum build.sh $(find cmd -name '*.go' | sort) | sha256sum | cut -c1-16)"
# Outside the work tree, so every clone and CI run on this machine shares one build per pin.
cache_root="${RD_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/runner-doctor-test-cluster}"
out="$cache_root/$pin"
binaries=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)
complete() { for b in "${binaries[@]}"; do [ -x "$out/bin/$b" ] || return 1; done; [ -f "$out/kwok/pod-ready.yaml" ]; }

mkdir -p "$out"
exec 9>"$out/.lock"
flock 9
if complete; then
  touch "$out"
  echo "$out/bin"
  exit 0
fi

k8s_version="$(cd "$here" && go list -m -f '{{.Version}}' k8s.io/kubernetes)"
major_minor="${k8s_version#v}"
# Without these the API server reports v0.0.0-master; /version must show the release it really is.
version_flags="-X k8s.io/component-base/version.gitVersion=$k8s_version -X k8s.io/component-base/version.gitMajor=${major_minor%%.*} -X k8s.io/component-base/version.gitMinor=$(echo "$major_minor" | cut -d. -f2) -X k8s.io/component-base/version.gitTreeState=clean"
staging="$out/bin.partial"
rm -rf "$staging"
mkdir -p "$staging"
started=$(date +%s)
echo "test bed: building ${binaries[*]} ($k8s_version) into $out/bin; the first build takes several minutes." >&2
cd "$here"
# kwok copies exec stdin into the process but never closes the pipe, so a command reading stdin to its end (the
# probe's `node -`, `cat`) never sees EOF; a real kubelet closes it. The build uses a copy of the kwok module with
# that one line added (a replace in a build-only copy of go.mod; go.mod itself stays as pinned).
go mod download sigs.k8s.io/kwok # on a fresh machine the module cache is empty and .Dir below would be too
kwok_dir="$(go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)"
if [ ! -d "$kwok_dir" ]; then
  echo "test bed: the sigs.k8s.io/kwok module could not be fetched into the module cache." >&2
  exit 1
fi
kwok_src="$out/kwok-src"
rm -rf "$kwok_src"
cp -r "$kwok_dir" "$kwok_src"
chmod -R u+w "$kwok_src"
sed -i 's|^\(\t*\)_, _ = io.Copy(inPipe, opt.In)$|&\n\1_ = inPipe.Close()|' "$kwok_src/pkg/utils/exec/exec.go"
if ! grep -q '_ = inPipe.Close()' "$kwok_src/pkg/utils/exec/exec.go"; then
  echo "test bed: the kwok stdin fix no longer applies to $kwok_dir/pkg/utils/exec/exec.go; look at it again." >&2
  exit 1
fi
cp go.mod "$out/build.mod"
cp go.sum "$out/build.sum"
printf '\nreplace sigs.k8s.io/kwok => %s\n' "$kwok_src" >> "$out/build.mod"
go build -modfile "$out/build.mod" -trimpath -ldflags "-s -w $version_flags" -o "$staging/" ./cmd/etcd ./cmd/kube-apiserver ./cmd/kube-controller-manager ./cmd/kube-scheduler sigs.k8s.io/kwok/cmd/kwok
rm -rf "$kwok_src"
# kwok's own stage definitions (node start and heartbeat, pod ready and delete) and its Logs and Exec CRDs, from the
# same pinned module, for cluster.mjs.
rm -rf "$out/kwok"
mkdir -p "$out/kwok"
cp "$kwok_dir/kustomize/stage/node/fast/node-initialize.yaml" "$kwok_dir/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
  "$kwok_dir/kustomize/stage/pod/fast/pod-ready.yaml" "$kwok_dir/kustomize/stage/pod/fast/pod-delete.yaml" \
  "$kwok_dir/kustomize/crd/bases/kwok.x-k8s.io_logs.yaml" "$kwok_dir/kustomize/crd/bases/kwok.x-k8s.io_execs.yaml" "$out/kwok/"
chmod u+w "$out/kwok/"*
rm -rf "$out/bin"
mv "$staging" "$out/bin"
# Binaries of pins no checkout has used for a week are ~380 MB each; running processes keep theirs open.
find "$cache_root" -mindepth 1 -maxdepth 1 -type d ! -path "$out" -mtime +7 -exec rm -rf {} +
echo "test bed: built in $(( $(date +%s) - started )) s." >&2
echo "$out/bin"
