"""What is kept between requests is bounded: so many figures, and so many characters of
drawn pages, the least recently used going first."""
import pytest

from domain import kept


class Session:
    info = {}  # a session that has changed nothing


@pytest.fixture(autouse=True)
def small(monkeypatch):
    kept.clear()
    monkeypatch.setattr(kept, "DRAWN_LIMIT", 1000)
    yield
    kept.clear()


def test_drawn_pages_past_the_limit_go_least_recently_used_first():
    made = []

    def page(n):
        return kept.kept(Session(), "page", n, lambda: made.append(n) or "x" * 300)

    for n in (1, 2, 3):
        page(n)
    page(1)  # read again: now the most recently used
    page(4)  # 1,200 characters: the least recently used (2) goes
    assert made == [1, 2, 3, 4]
    page(1), page(3), page(4)
    assert made == [1, 2, 3, 4]  # still kept
    page(2)
    assert made == [1, 2, 3, 4, 2]  # made again


def test_a_drawn_page_kept_with_its_figures_counts_as_drawn():
    for n in range(5):
        kept.kept(Session(), "results", n, lambda: ("y" * 400, 1))
    assert len(kept._figures) == 2  # 800 characters held of the 1,000 allowed


def test_figures_that_are_not_drawn_are_bounded_by_their_number(monkeypatch):
    monkeypatch.setattr(kept, "LIMIT", 3)
    for n in range(5):
        kept.kept(Session(), "figure", n, lambda: {"n": 1})
    assert [key for _, key in kept._figures] == [2, 3, 4]
