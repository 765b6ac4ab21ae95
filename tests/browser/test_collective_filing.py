"""A collective filing on phones (issue 20), at 390×844: the worker who files shares the link, ten colleagues join
through it, each on their own phone, and they elect two representatives; a clerk finds the application in the
check queue and accepts it; the case holds every worker who joined and the two elected representatives."""

from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from disputes.identity import resident_id_check_char
from disputes.models import OnlineApplication, Role
from tests.browser.conftest import PHONE, Screen
from tests.conftest import EMPLOYER_CODE, PASSWORD, WORKER_ID
from tests.portal_support import Outbox

JOINERS = 9  # with the filer, the ten workers of the collective filing


@pytest.fixture
def outbox(app, tmp_path):
    path = tmp_path / "outbox.jsonl"
    previous = app.config["MESSAGE_OUTBOX"]
    app.config["MESSAGE_OUTBOX"] = str(path)
    yield Outbox(path)
    app.config["MESSAGE_OUTBOX"] = previous


def resident_id(n: int) -> str:
    first17 = f"44030719900101{n:03d}"
    return first17 + resident_id_check_char(first17)


def file_collective(worker: Screen) -> str:
    """The filer's four steps and the summary; the share link from the last page."""
    page = worker.page
    worker.go("/portal/")
    page.click("#start-apply")
    page.select_option("select[name=kind]", "arbitration")
    page.fill("input[name=name]", "张三")
    page.fill("input[name=id_number]", WORKER_ID)
    page.fill("input[name=phone]", "13800138000")
    page.select_option("select[name=worker_count]", "collective")
    page.click("main form button.p-button")
    page.fill("input[name=name]", "深圳市宏达电子科技有限公司")
    page.fill("input[name=credit_code]", EMPLOYER_CODE)
    page.fill("input[name=known_on]", "2026-10-01")
    page.click("main form button.p-button")
    page.select_option("select[name=category_1]", "wages")
    page.fill("input[name=amount_1]", "9000")
    page.fill("input[name=description_1]", "2026年8月至10月工资")
    page.click("main form button.p-button:not(.p-secondary)")
    page.click("button[value=next]")
    page.check("input[name=confirm]")
    page.click("main form button.p-button")
    page.wait_for_selector("#share-link")  # the filed application's page, before measuring it
    worker.assert_fits()
    return urlsplit(page.get_attribute("#share-link", "href")).path


def join_and_vote(browser, live_server, link: str, n: int, candidate: str) -> list[str]:
    """One colleague on their own phone: opens the link, joins, votes; the problems their page recorded."""
    colleague = Screen(browser, live_server, PHONE, "zh")
    page = colleague.page
    try:
        colleague.go(link)
        colleague.assert_fits()
        page.fill("#join input[name=name]", f"工友{n}")
        page.fill("#join input[name=id_number]", resident_id(n))
        page.fill("#join input[name=phone]", f"1368230{n:04d}")
        page.click("#join button")
        assert f"工友{n}" in page.inner_text("#joined-as")
        assert page.locator("#vote input[name=id_number]").count() == 0  # not asked again on the same phone
        page.select_option("#vote select[name=candidate]", label=candidate)
        page.click("#vote button")
        assert "p-error" not in page.content()
        colleague.assert_fits()
        return colleague.problems
    finally:
        colleague.close()


def test_ten_colleagues_join_by_the_link_elect_two_and_a_clerk_accepts(browser, live_server, db, org, outbox):
    worker = Screen(browser, live_server, PHONE, "zh")
    clerk = Screen(browser, live_server, PHONE, "zh")
    try:
        link = file_collective(worker)
        assert link.startswith("/portal/collective/")
        # The filer is the first worker already, and votes from the same phone.
        worker.go(link)
        assert "张三" in worker.page.inner_text("#joined-as")
        worker.page.select_option("#vote select[name=candidate]", label="张三")
        worker.page.click("#vote button")

        problems = []
        for n in range(1, JOINERS + 1):  # 张三: the filer's vote and five more; 工友1 four: both elected
            problems += join_and_vote(browser, live_server, link, n, "张三" if 2 <= n <= 6 else "工友1")

        worker.go(link)
        tally = worker.page.inner_text("#tally")
        assert tally.count("\n") + 1 == JOINERS + 1
        worker.assert_fits()

        application = db.session.scalar(sa.select(OnlineApplication))
        clerk.go("/login")
        clerk.page.fill("input[name=username]", org.user(Role.CLERK).username)
        clerk.page.fill("input[name=password]", PASSWORD)
        clerk.page.locator("main form button").first.click()
        clerk.go("/applications")
        clerk.page.click(f"text={application.reference}")
        assert f"({JOINERS + 1})" in clerk.page.inner_text("main")  # the workers who joined, counted
        clerk.page.select_option("select[name=action]", "accept")
        clerk.page.click("#decide button")
        clerk.page.wait_for_load_state()

        db.session.expire_all()
        application = db.session.get(OnlineApplication, application.id)
        case = application.case
        assert case is not None and f"/cases/{case.id}" in clerk.page.url
        workers = {p.name: p for p in case.applicants}
        assert set(workers) == {"张三"} | {f"工友{n}" for n in range(1, JOINERS + 1)}
        assert case.collective
        assert sorted(name for name, p in workers.items() if p.is_representative) == ["工友1", "张三"]
        assert all(p.id_number for p in workers.values())
        assert worker.problems == [] and clerk.problems == [] and problems == []
    finally:
        worker.close()
        clerk.close()
