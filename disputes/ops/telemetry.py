"""Prometheus metrics (prometheus-client). Under gunicorn set PROMETHEUS_MULTIPROC_DIR to an empty directory
before start-up (deploy/gunicorn.conf.py): each worker then writes its counts there and /metrics adds them up.
No Flask here: the domain's timed steps (scan, fold, PDF render) record through `timed`."""

from __future__ import annotations

import functools
import os
import time

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

SLOW = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)

REQUEST_LATENCY = Histogram(
    "disputes_request_duration_seconds", "Time to answer a request, by endpoint.", ["endpoint", "method"]
)
REQUEST_ERRORS = Counter("disputes_request_errors_total", "Responses with a 5xx status, by endpoint.", ["endpoint"])
TASK_DURATION = Histogram(
    "disputes_task_duration_seconds", "Background and scheduled jobs' run time.", ["task", "outcome"], buckets=SLOW
)
SCAN_DURATION = Histogram("disputes_sla_scan_duration_seconds", "The deadline scan's run time.", buckets=SLOW)
FOLD_DURATION = Histogram("disputes_metrics_fold_duration_seconds", "The statistics fold's run time.", buckets=SLOW)
PDF_RENDER = Histogram("disputes_pdf_render_duration_seconds", "Rendering one PDF.", buckets=SLOW)


def timed(histogram: Histogram):
    """Record the decorated function's run time in `histogram`."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                histogram.observe(time.perf_counter() - started)

        return wrapper

    return decorate


class ScrapeTime:
    """Gauges read when scraped: the Celery queue's length and the open timers past their deadline."""

    def __init__(self, queue_length, overdue_timers):
        self.queue_length = queue_length
        self.overdue_timers = overdue_timers

    def collect(self):
        length = self.queue_length()
        if length is not None:
            family = GaugeMetricFamily("disputes_celery_queue_length", "Tasks waiting in the Celery queue.")
            family.add_metric([], length)
            yield family
        overdue = self.overdue_timers()
        if overdue is not None:
            family = GaugeMetricFamily("disputes_sla_overdue_open_timers", "Open timers past their due day.")
            family.add_metric([], overdue)
            yield family


def exposition(scrape_time: ScrapeTime) -> bytes:
    """The text a Prometheus scrape reads: every process's counts (multiprocess mode) or this one's, and the
    scrape-time gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        counts = generate_latest(registry)
    else:
        from prometheus_client import REGISTRY

        counts = generate_latest(REGISTRY)
    now = CollectorRegistry()
    now.register(scrape_time)
    return counts + generate_latest(now)
