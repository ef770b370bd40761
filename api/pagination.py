from rest_framework.pagination import CursorPagination, PageNumberPagination


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class PairCursorPagination(CursorPagination):
    """Pair assessments by id, a page at a time, with a cursor (``next``/``previous``
    links) instead of page numbers: each page is read from the primary key's index, so the
    last page of a round costs what its first does (a page number makes the database count
    and skip every row before it). No ``count``: ask a round's matrix or dashboard for it."""

    ordering = ("id",)
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
