"""The one place that reads the time. Tests freeze it with `freeze()`."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
_frozen: datetime | None = None


def now_utc() -> datetime:
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC)


def today_local() -> date:
    return now_utc().astimezone(LOCAL_TZ).date()


def to_local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TZ)


def freeze(moment: datetime | None) -> None:
    """Pin `now_utc()` to `moment` (timezone-aware); `None` unfreezes."""
    global _frozen
    if moment is not None and moment.tzinfo is None:
        raise ValueError("freeze() needs a timezone-aware datetime")
    _frozen = moment


@contextmanager
def frozen(moment: datetime) -> Iterator[datetime]:
    """Run a block as if it were `moment` (replaying history), then restore the clock as it was."""
    previous = _frozen
    freeze(moment)
    try:
        yield moment
    finally:
        freeze(previous)
