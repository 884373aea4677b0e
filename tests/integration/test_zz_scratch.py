import json
import pytest
from tests.factories.series import hate_crime_indicator
from indicators import comparisons
import datetime

@pytest.mark.django_db
def test_scratch(client, officer_a, partnership_a):
    hate_crime_indicator(partnership_a)
    client.force_login(officer_a)
    r = client.get("/api/partnerships/partnership-a/comparisons?period=2016-11")
    print(r.status_code, r["Content-Type"])
    print(r.content.decode())
    print(comparisons.records_csv(partnership_a, datetime.date(2016,11,1)))
