"""A published date stands for a day, a month or a year, by its precision."""

import pytest

from index.sources import published_period


@pytest.mark.parametrize(
    "published, precision, period",
    [
        ("2017-10-17", "day", {"gte": "2017-10-17", "lte": "2017-10-17"}),
        ("2017-10", "month", {"gte": "2017-10-01", "lte": "2017-10-31"}),
        ("2016-02", "month", {"gte": "2016-02-01", "lte": "2016-02-29"}),
        ("2017", "year", {"gte": "2017-01-01", "lte": "2017-12-31"}),
        ("2017-10", None, {"gte": "2017-10-01", "lte": "2017-10-31"}),
        (None, None, None),
    ],
)
def test_published_period(published, precision, period):
    assert published_period(published, precision) == period
