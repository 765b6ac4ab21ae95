import pytest

from tests.portal_support import Outbox


@pytest.fixture
def outbox(app, tmp_path):
    """The file backend writes to a file of the test's own; restored after."""
    path = tmp_path / "outbox.jsonl"
    previous = app.config["MESSAGE_OUTBOX"], app.config.get("MESSAGE_FAIL_RECIPIENTS", "")
    app.config["MESSAGE_OUTBOX"] = str(path)
    app.config["MESSAGE_FAIL_RECIPIENTS"] = ""
    yield Outbox(path)
    app.config["MESSAGE_OUTBOX"], app.config["MESSAGE_FAIL_RECIPIENTS"] = previous
