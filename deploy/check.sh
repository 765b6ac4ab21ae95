#!/usr/bin/env bash
# `make deploy-check`: build the image and bring the compose stack up, wait for /readyz, take it down again.
# Skipped, with the reason, where Docker (daemon and compose plugin) is not available.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v docker >/dev/null 2>&1; then
    echo "deploy-check skipped: docker is not installed"; exit 0
fi
if ! docker info >/dev/null 2>&1; then
    reason=$(docker info 2>&1 | grep -m1 -i -E 'cannot connect|error' || true)
    echo "deploy-check skipped: the Docker daemon is not running (${reason:-docker info failed})"
    exit 0
fi
if ! docker compose version >/dev/null 2>&1; then
    echo "deploy-check skipped: the docker compose plugin is not installed"; exit 0
fi
export SECRET_KEY="deploy-check-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export POSTGRES_PASSWORD=deploy-check
export MINIO_ROOT_PASSWORD=deploy-check-minio
project="disputes-check-$$"
trap 'docker compose -p "$project" -f compose.yaml down -v >/dev/null 2>&1 || true' EXIT
docker compose -p "$project" -f compose.yaml build
docker compose -p "$project" -f compose.yaml up -d
for _ in $(seq 1 60); do
    if curl -fsS http://127.0.0.1:8000/readyz; then
        echo; docker compose -p "$project" -f compose.yaml ps
        docker compose -p "$project" -f compose.yaml exec -T web flask config check
        # The document store answers: every stored file (none yet) copied into the bucket and read back.
        docker compose -p "$project" -f compose.yaml exec -T web flask documents migrate-store --to s3://documents
        echo "deploy-check: the stack is up and ready"; exit 0
    fi
    sleep 5
done
docker compose -p "$project" -f compose.yaml logs --tail 50
echo "deploy-check: /readyz never answered 200"; exit 1
