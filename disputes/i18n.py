"""Marking strings for translation outside Flask.

The domain core raises errors with English message ids marked by `N_`; the
web layer and the CLI translate them with the user's locale when shown.
"""


def N_(message: str) -> str:
    return message


class DomainError(Exception):
    """A refused operation, with a message id and parameters for the user's language."""

    def __init__(self, message: str, field: str | None = None, **params):
        super().__init__(message % params if params else message)
        self.message = message
        self.field = field
        self.params = params


class Notice:
    """A warning an operation returns with its result (shown to the user, never blocking), with a message id and
    parameters for the user's language like DomainError's."""

    def __init__(self, message: str, **params):
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return self.message % {k: getattr(v, "rule_id", v) for k, v in self.params.items()}
