"""gunicorn settings for the image and the systemd unit. Several workers each count their Prometheus metrics in
PROMETHEUS_MULTIPROC_DIR, emptied at start and told when a worker exits."""

import os
import shutil

bind = os.environ.get("BIND", "0.0.0.0:8000")
# 3 workers of 2 threads for 2 cores, chosen by measurement at 1,000,000 cases against 2, 3 and 4 sync workers,
# 2x4 and 4x4 (bench/README.md, issue 18 part 5): the best p99 of the list and the case page at 16 clients.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("WEB_THREADS", "2"))
timeout = int(os.environ.get("WEB_TIMEOUT", "120"))  # a case file or a long export
graceful_timeout = 30
max_requests = 2000  # a worker is replaced now and then, bounding any slow leak
max_requests_jitter = 200
accesslog = None  # the app logs each request itself (JSON, with its request id, without the query string)
errorlog = "-"
preload_app = False


def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
