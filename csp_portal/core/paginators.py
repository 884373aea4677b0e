"""Paging for the admin's lists of tables that grow to millions of rows."""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Below this many rows (as PostgreSQL estimates them) an exact count is cheap enough.
EXACT_BELOW = 100_000


class EstimatedCountPaginator(Paginator):
    """An unfiltered list of a big PostgreSQL table counts from the planner's estimate.

    COUNT(*) of the national audit trail reads every row (a quarter of a second for 1.8
    million); the estimate is free and near enough for "1,776,000 figure changes". A filtered
    or searched list, any other database and any small table are counted exactly.
    """

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is not None and not query.where:
            connection = connections[queryset.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                        [queryset.model._meta.db_table],
                    )
                    row = cursor.fetchone()
                if row and row[0] >= EXACT_BELOW:
                    return int(row[0])
        return super().count
