"""E-mail for deadline notifications: plain SMTP through the standard library, no Flask.

The recipients are the centre's Chinese-speaking staff, and the scan runs outside any request (no
locale, no Flask-Babel), so the messages are simple Chinese templates here rather than msgids.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    sender: str = ""
    starttls: bool = False
    timeout: float = 10.0

    @property
    def from_address(self) -> str:
        return self.sender or self.user or f"noreply@{self.host}"


def settings_from(config: Mapping) -> SmtpSettings | None:
    """The SMTP settings in an app config (`SMTP_HOST` …); None when no host is configured."""
    host = (config.get("SMTP_HOST") or "").strip()
    if not host:
        return None
    return SmtpSettings(
        host=host,
        port=int(config.get("SMTP_PORT") or 25),
        user=config.get("SMTP_USER") or None,
        password=config.get("SMTP_PASSWORD") or None,
        sender=config.get("SMTP_SENDER") or "",
        starttls=bool(config.get("SMTP_STARTTLS")),
    )


@dataclass(frozen=True)
class Notice:
    """What one notification e-mail says."""

    key: int  # the notification's id
    to: str
    name: str
    kind: str  # NoticeKind value: "due_soon" or "breached"
    registry_no: str
    rule_title: str
    due_on: date | None
    days_late: int | None = None


SUBJECTS = {
    "due_soon": "【期限提醒】{registry_no}：{rule_title}将于{due}届满",
    "breached": "【期限已过】{registry_no}：{rule_title}已于{due}届满",
}
BODIES = {
    "due_soon": "{name}：\n\n案件 {registry_no} 的“{rule_title}”期限将于 {due} 届满，请及时处理。\n",
    "breached": "{name}：\n\n案件 {registry_no} 的“{rule_title}”期限已于 {due} 届满，至今未完成（已逾期 {late} 天），"
    "请尽快处理。\n",
}
FOOTER = "\n此邮件由调援裁诉系统自动发送，请勿直接回复。\n"


def _day(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "（未定）"


def compose(notice: Notice, sender: str) -> EmailMessage:
    fields = {
        "name": notice.name or notice.to,
        "registry_no": notice.registry_no,
        "rule_title": notice.rule_title,
        "due": _day(notice.due_on),
        "late": notice.days_late if notice.days_late is not None else "—",
    }
    message = EmailMessage()
    message["Subject"] = SUBJECTS[notice.kind].format(**fields)
    message["From"] = sender
    message["To"] = formataddr((notice.name, notice.to)) if notice.name else notice.to
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(BODIES[notice.kind].format(**fields) + FOOTER, charset="utf-8")
    return message


def send_all(settings: SmtpSettings, notices: Iterable[Notice]) -> tuple[list[int], list[int]]:
    """Send each notice over one connection; returns (sent keys, failed keys). Never raises for SMTP trouble."""
    pending = list(notices)
    sent: list[int] = []
    failed: list[int] = []
    if not pending:
        return sent, failed
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            for notice in pending:
                try:
                    smtp.send_message(compose(notice, settings.from_address))
                    sent.append(notice.key)
                except (smtplib.SMTPException, OSError) as error:
                    log.warning("e-mail for notification %s to %s failed: %s", notice.key, notice.to, error)
                    failed.append(notice.key)
    except (smtplib.SMTPException, OSError) as error:
        log.warning("SMTP server %s:%s unavailable: %s", settings.host, settings.port, error)
    done = set(sent) | set(failed)
    failed.extend(n.key for n in pending if n.key not in done)
    return sent, failed
