"""deploy/ (issue 19): what the image, compose file and systemd units promise, read from the files themselves
(`make deploy-check` builds and starts them where Docker runs)."""

import importlib.util
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _makefile_packages() -> set[str]:
    (line,) = [x for x in (ROOT / "Makefile").read_text().splitlines() if x.startswith("SYSTEM_PACKAGES :=")]
    return set(line.split(":=")[1].split())


def test_the_image_has_the_pdf_libraries_runs_as_non_root_and_bakes_translations_and_bytecode():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim-bookworm$", dockerfile, re.MULTILINE)  # Debian
    installed = set(re.search(r"--no-install-recommends(.*?)\\\n \&\&", dockerfile, re.DOTALL).group(1).split())
    assert _makefile_packages() <= installed  # fonts-noto-cjk, libharfbuzz-subset0, pango, poppler
    assert re.search(r"^USER disputes$", dockerfile, re.MULTILINE)
    assert "pybabel -q compile" in dockerfile and "compileall" in dockerfile
    assert "pip install --no-cache-dir -r requirements.txt" in dockerfile


def test_compose_migrates_once_before_the_web_worker_and_beat_start():
    compose = (DEPLOY / "compose.yaml").read_text()
    for service in ("postgres", "redis", "migrate", "web", "worker", "beat"):
        assert re.search(rf"^  {service}:$", compose, re.MULTILINE), service
    assert 'command: ["flask", "db", "upgrade"]' in compose
    for service in ("web", "worker", "beat"):
        block = compose.split(f"\n  {service}:\n")[1].split("\n\n")[0]
        assert "migrate: {condition: service_completed_successfully}" in block, service
    assert "disputes.jobs" in compose and "beat" in compose


def test_systemd_units_run_the_migration_before_the_app():
    for unit in ("disputes-web", "disputes-worker", "disputes-beat"):
        text = (DEPLOY / "systemd" / f"{unit}.service").read_text()
        assert "Requires=disputes-migrate.service" in text and "After=network-online.target disputes-migrate" in text
        assert "User=disputes" in text and "EnvironmentFile=/etc/disputes/env" in text
    assert "flask db upgrade" in (DEPLOY / "systemd" / "disputes-migrate.service").read_text()


def test_gunicorn_settings_clear_and_mark_the_metrics_directory(tmp_path, monkeypatch):
    directory = tmp_path / "prom"
    directory.mkdir()
    (directory / "counter_999.db").write_bytes(b"stale")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    spec = importlib.util.spec_from_file_location("gunicorn_conf", DEPLOY / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    conf.on_starting(None)
    assert list(directory.iterdir()) == []  # a restart starts the counts afresh

    class Worker:
        pid = 4242

    conf.child_exit(None, Worker())  # the dead worker's live gauges are dropped


def test_the_deploy_check_script_parses():
    done = subprocess.run(["bash", "-n", str(DEPLOY / "check.sh")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_compose_stores_documents_in_its_minio_bucket_as_the_code_reads_the_settings():
    """The compose default store is the bucket minio-bucket makes, named in the setting the code parses; the app
    gets every S3 setting storage.s3_client reads; the apps wait for the bucket; check.sh sets every secret the
    compose file requires."""
    from config import problems
    from disputes import storage

    compose = (DEPLOY / "compose.yaml").read_text()
    default = re.search(r"DOCUMENT_STORE: \$\{DOCUMENT_STORE:-([^}]+)\}", compose).group(1)
    kind, bucket, _prefix = storage.parse_setting(default)
    assert kind == "s3" and f"mb --ignore-existing store/{bucket}" in compose
    assert problems({"DOCUMENT_STORE": default}) == []
    read = set(re.findall(r'environ\.get\("(S3_[A-Z_]+)"\)', (ROOT / "disputes" / "storage.py").read_text()))
    assert read == {"S3_ENDPOINT_URL", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"}
    app_env = compose.split("environment: &app-env\n")[1].split("\n  restart:")[0]
    for name in read:
        assert re.search(rf"^    {name}: ", app_env, re.MULTILINE), name
    assert "S3_ENDPOINT_URL: http://minio:9000" in app_env
    for service in ("web", "worker", "beat"):
        block = compose.split(f"\n  {service}:\n")[1].split("\n\n")[0]
        assert "minio-bucket: {condition: service_completed_successfully}" in block, service
    required = set(re.findall(r"\$\{([A-Z_]+):\?", compose))
    check = (DEPLOY / "check.sh").read_text()
    assert {name for name in required if not re.search(rf"^export {name}=", check, re.MULTILINE)} == set()


def test_the_deploy_check_says_why_it_is_skipped_without_a_docker_daemon():
    """Where Docker is a client at most, with no daemon: the check prints its reason and succeeds."""
    import shutil

    import pytest

    if shutil.which("docker") and subprocess.run(["docker", "info"], capture_output=True, check=False).returncode == 0:
        pytest.skip("a Docker daemon runs here: `make deploy-check` builds and starts the stack instead")
    done = subprocess.run(["bash", str(DEPLOY / "check.sh")], capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("deploy-check skipped: "), done.stdout
