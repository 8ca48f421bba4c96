"""Paging (分页) of console lists: which page of a list to show and the links around it.

A list page counts its rows (in SQL), turns the ``page`` parameter as typed into a `Page`
with `page_of`, reads ``offset``/``limit`` from it, and hands it to the template, where
``_pager.html``'s ``pager(page)`` shows "第 1–50 项，共 1,000 项 · 第 1/20 页" with the links.
A page number past the last shows the last page, anything that is not a number the first:
an old bookmark after rows were withdrawn still lands on rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """One page of `total` rows, `size` per page (`number` counts from 1)."""

    number: int
    pages: int
    size: int
    total: int
    previous_href: str | None
    next_href: str | None

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def limit(self) -> int:
        return self.size

    @property
    def first(self) -> int:
        """The 1-based position of the page's first row (shown "第 first–last 项")."""
        return self.offset + 1

    @property
    def last(self) -> int:
        return min(self.offset + self.size, self.total)


def requested(page: str | None) -> int:
    """The page number as typed in the address: anything but a positive number is 1."""
    return int(page) if page and page.isdigit() and int(page) > 0 else 1


def page_of(total: int, page: str | None, size: int, href: Callable[[int], str]) -> Page:
    """The page `page` (as typed) of `total` rows; `href(n)` is the address of page n."""
    pages = max(1, -(-total // size))
    number = min(requested(page), pages)
    return Page(
        number=number,
        pages=pages,
        size=size,
        total=total,
        previous_href=href(number - 1) if number > 1 else None,
        next_href=href(number + 1) if number < pages else None,
    )
