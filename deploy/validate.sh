#!/usr/bin/env bash
# Validates deploy/ offline, with no Docker engine and no Kubernetes cluster:
#   - compose.yaml against the Compose Specification schema, plus its references (services, volumes, files, build targets);
#   - otel-collector.yaml pipelines against the components it defines;
#   - the Dockerfile's COPY sources against the build context and .dockerignore;
#   - k8s/ rendered by kustomize (kubectl kustomize), each object against the Kubernetes API schemas and field names.
# Prints "deploy/validate.sh: OK" or the problems, and exits non-zero on any problem.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
tools="$here/validate"

# npm ci only when the installed tree is missing or older than the lock file.
if [ ! -f "$tools/node_modules/.package-lock.json" ] || [ "$tools/package-lock.json" -nt "$tools/node_modules/.package-lock.json" ]; then
    (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

rendered="$(mktemp --suffix=.yaml)"
trap 'rm -f "$rendered"' EXIT
if command -v kubectl >/dev/null; then
    # kustomize checks that every resource it lists exists and that the image overrides apply.
    if ! kubectl kustomize "$here/k8s" >"$rendered"; then
        echo "deploy/k8s: kustomize build failed" >&2
        exit 1
    fi
    manifests=("$rendered")
    label=(--k8s-label "deploy/k8s/kustomization.yaml")
else
    echo "deploy/validate.sh: kubectl not found; validating k8s/*.yaml without rendering the kustomization" >&2
    manifests=()
    label=()
    for f in "$here"/k8s/*.yaml; do
        [ "$(basename "$f")" = kustomization.yaml ] || manifests+=("$f")
    done
fi

k8s_args=()
for m in "${manifests[@]}"; do k8s_args+=(--k8s "$m"); done

cd "$root"
node "$tools/validate.mjs" \
    --compose "$here/compose.yaml" \
    --collector "$here/otel-collector.yaml" \
    --dockerfile "$root/Dockerfile" \
    "${k8s_args[@]}" "${label[@]}"
echo "deploy/validate.sh: OK"
