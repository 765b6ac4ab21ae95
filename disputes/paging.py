"""Where a paged list stands: the page count and the "previous"/"next" links every pager shows (the case list,
the deadline board's groups, the hearing calendar's week and a room's or arbitrator's day)."""


def page_count(total: int, size: int) -> int:
    """How many pages of `size` rows `total` rows fill; one page even when there are none."""
    return max(1, -(-total // size))


class Paged:
    """A page of a list: subclasses give `page` (from 1) and `pages`."""

    page: int
    pages: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages
