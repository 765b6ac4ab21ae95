"""A minimal RFC 5545 writer for VEVENTs (no iCalendar library is installed): text escaping (§3.3.11), UTC
date-times (§3.3.5), CRLF line ends and folding at 75 octets without splitting a UTF-8 character (§3.1)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Lines longer than 75 octets are continued on lines starting with one space."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def calendar(name: str, events: Iterable[dict], now: datetime, domain: str) -> str:
    """A VCALENDAR of VEVENTs; each event a dict with uid, starts, ends, summary and optional location,
    description, url."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//disputes//calendar//ZH", "CALSCALE:GREGORIAN"]
    lines.append(f"X-WR-CALNAME:{escape(name)}")
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event['uid']}@{domain}",
            f"DTSTAMP:{stamp(now)}",
            f"DTSTART:{stamp(event['starts'])}",
            f"DTEND:{stamp(event['ends'])}",
            f"SUMMARY:{escape(event['summary'])}",
        ]
        if event.get("location"):
            lines.append(f"LOCATION:{escape(event['location'])}")
        if event.get("description"):
            lines.append(f"DESCRIPTION:{escape(event['description'])}")
        if event.get("url"):
            lines.append(f"URL:{event['url']}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
