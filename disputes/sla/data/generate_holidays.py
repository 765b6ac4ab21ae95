"""Write holidays.csv from the `chinesecalendar` package (run by hand, never imported by the app).

    .venv/bin/python disputes/sla/data/generate_holidays.py

Why a file and not the package at run time: deadlines must not change silently when a dependency is
upgraded, and an administrator edits the calendar as data (deadlines.md rule 5). This script only seeds it.

What goes in: every official rest day of a holiday (`holiday`, including the days that fall on a weekend,
so that a roll-over can name the holiday) and every make-up working day (`workday`, 调休上班日, named
after its holiday, e.g. 春节调休). Ordinary weekends and weekdays are not listed. The package keeps the
rest days given in lieu of make-up days (`is_in_lieu`) inside its `holidays` table as well; the script
asserts this, so those days come out as `holiday` too (2026-02-20 and 02-23 are such days: without them
the spec's 2026-02-10 + 5 days example would end on 02-20 instead of 02-24).

Checked against the State Council notices (asserted below, the script refuses to write otherwise):
- 2024 (国办发明电〔2023〕7号): 元旦 1-01; 春节 2-10…2-17, make-up 2-04 (Sun) and 2-18 (Sun); 清明 4-04…4-06,
  make-up 4-07 (Sun); 劳动节 5-01…5-05, make-up 4-28 (Sun) and 5-11 (Sat); 端午 6-10; 中秋 9-15…9-17,
  make-up 9-14 (Sat); 国庆 10-01…10-07, make-up 9-29 (Sun) and 10-12 (Sat).
- 2025 (国办发明电〔2024〕12号): 元旦 1-01; 春节 1-28…2-04, make-up 1-26 (Sun) and 2-08 (Sat); 清明 4-04…4-06;
  劳动节 5-01…5-05, make-up 4-27 (Sun); 端午 5-31…6-02; 国庆·中秋 10-01…10-08 (10-06 is 中秋节),
  make-up 9-28 (Sun) and 10-11 (Sat).
- 2026 (国办发明电〔2025〕7号): 元旦 1-01…1-03, make-up 1-04 (Sun); 春节 2-15…2-23, make-up 2-14 (Sat) and
  2-28 (Sat); 清明 4-04…4-06; 劳动节 5-01…5-05, make-up 5-09 (Sat); 端午 6-19…6-21; 中秋 9-25…9-27;
  国庆 10-01…10-07, make-up 9-20 (Sun) and 10-10 (Sat).
"""

import csv
import sys
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar

YEARS = (2024, 2025, 2026)
TARGET = Path(__file__).resolve().parent / "holidays.csv"
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}


def span(first: str, last: str) -> list[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


# The notices, as (first, last, name) rest-day ranges and (day, name) make-up days.
NOTICE_BREAKS = [
    ("2024-01-01", "2024-01-01", "元旦"),
    ("2024-02-10", "2024-02-17", "春节"),
    ("2024-04-04", "2024-04-06", "清明节"),
    ("2024-05-01", "2024-05-05", "劳动节"),
    ("2024-06-10", "2024-06-10", "端午节"),
    ("2024-09-15", "2024-09-17", "中秋节"),
    ("2024-10-01", "2024-10-07", "国庆节"),
    ("2025-01-01", "2025-01-01", "元旦"),
    ("2025-01-28", "2025-02-04", "春节"),
    ("2025-04-04", "2025-04-06", "清明节"),
    ("2025-05-01", "2025-05-05", "劳动节"),
    ("2025-05-31", "2025-06-02", "端午节"),
    ("2025-10-01", "2025-10-05", "国庆节"),
    ("2025-10-06", "2025-10-06", "中秋节"),
    ("2025-10-07", "2025-10-08", "国庆节"),
    ("2026-01-01", "2026-01-03", "元旦"),
    ("2026-02-15", "2026-02-23", "春节"),
    ("2026-04-04", "2026-04-06", "清明节"),
    ("2026-05-01", "2026-05-05", "劳动节"),
    ("2026-06-19", "2026-06-21", "端午节"),
    ("2026-09-25", "2026-09-27", "中秋节"),
    ("2026-10-01", "2026-10-07", "国庆节"),
]
NOTICE_MAKEUP = [
    ("2024-02-04", "春节"),
    ("2024-02-18", "春节"),
    ("2024-04-07", "清明节"),
    ("2024-04-28", "劳动节"),
    ("2024-05-11", "劳动节"),
    ("2024-09-14", "中秋节"),
    ("2024-09-29", "国庆节"),
    ("2024-10-12", "国庆节"),
    ("2025-01-26", "春节"),
    ("2025-02-08", "春节"),
    ("2025-04-27", "劳动节"),
    ("2025-09-28", "国庆节"),
    ("2025-10-11", "国庆节"),
    ("2026-01-04", "元旦"),
    ("2026-02-14", "春节"),
    ("2026-02-28", "春节"),
    ("2026-05-09", "劳动节"),
    ("2026-09-20", "国庆节"),
    ("2026-10-10", "国庆节"),
]


def rows() -> list[tuple[date, str, str]]:
    assert set(chinese_calendar.in_lieu_days) <= set(chinese_calendar.holidays), "in-lieu days outside holidays"
    found = []
    for year in YEARS:
        day = date(year, 1, 1)
        while day.year == year:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
            if name is not None:
                chinese = NAMES[name]  # KeyError: a holiday this script does not know; add it to NAMES
                if on_holiday:
                    found.append((day, "holiday", chinese))
                else:
                    assert day.weekday() >= 5, f"make-up working day {day} is not a weekend day"
                    found.append((day, "workday", f"{chinese}调休"))
            day += timedelta(days=1)
    return found


def check(found: list[tuple[date, str, str]]) -> None:
    """Refuse data that differs from the notices transcribed above."""
    expected = {day: ("holiday", name) for first, last, name in NOTICE_BREAKS for day in span(first, last)}
    # The package names a make-up day after its holiday; the notice's holiday is the one it belongs to.
    expected |= {date.fromisoformat(day): ("workday", f"{name}调休") for day, name in NOTICE_MAKEUP}
    actual = {day: (kind, name) for day, kind, name in found}
    differences = sorted(set(expected.items()) ^ set(actual.items()))
    assert not differences, f"package data differs from the notices: {differences}"


def main() -> int:
    found = rows()
    check(found)
    with TARGET.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["day", "kind", "name"])
        writer.writerows((day.isoformat(), kind, name) for day, kind, name in found)
    print(f"{len(found)} days written to {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
