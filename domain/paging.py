"""A page of a long list: which page, how many in all, whether there are more either way."""
from dataclasses import dataclass


@dataclass
class Page:
    items: list
    total: int
    number: int
    per_page: int

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def start(self):
        """The place of this page's first item in the whole list, counted from 1."""
        return min(self.total, (self.number - 1) * self.per_page + 1)

    @property
    def end(self):
        """The place of its last item."""
        return min(self.total, self.number * self.per_page)

    @property
    def has_newer(self):
        return self.number > 1

    @property
    def has_older(self):
        return self.number < self.pages


def clamp(number, total, per_page):
    """A page number that exists (a bookmark may outlive the entries it pointed at)."""
    return max(1, min(number or 1, max(1, -(-total // per_page))))


def page_of(items, number, per_page):
    """One page of a list already in hand (one that is short to hold, such as a line a
    plan): the page number kept to one that exists."""
    items = list(items)
    number = clamp(number, len(items), per_page)
    return Page(items[(number - 1) * per_page:number * per_page], len(items), number, per_page)
