"""A funding stream that pays for lines keeps its partnership and year, however it is
changed: its lines must be paid from a stream of their own partnership and year."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commissioning import services
from commissioning.models import CommissioningLine, FundingStream
from indicators import importing

KEEP_YEAR = (
    "This stream pays for commissioning lines in 2017/18: keep its year, or add a stream "
    "for the other year."
)
KEEP_PARTNERSHIP = (
    "This stream pays for commissioning lines of Partnership A: keep its partnership, or add "
    "a stream for the other partnership."
)


def _stream_form(stream: FundingStream, **changes) -> dict:
    return {
        "partnership": stream.partnership_id,
        "financial_year": stream.financial_year,
        "source": stream.source,
        "amount": stream.amount,
        "allocated_by": "",
        "criteria": "",
        "monitoring": "",
        **changes,
    }


@pytest.mark.django_db
def test_admin_stream_with_lines_keeps_its_partnership_and_year(
    client, admin_user, commissioning_line_a, partnership_b
):
    stream = commissioning_line_a.funding_stream
    client.force_login(admin_user)
    url = reverse("admin:commissioning_fundingstream_change", args=[stream.pk])

    page = client.get(url).content.decode()
    moved = _stream_form(stream, financial_year=2019, partnership=partnership_b.pk, amount="5")
    response = client.post(url, moved)

    assert 'name="financial_year"' not in page and 'name="partnership"' not in page
    assert response.status_code == 302
    stream.refresh_from_db()
    assert (stream.partnership.name, stream.financial_year, stream.amount) == (
        "Partnership A",
        2017,
        Decimal("5"),
    )
    CommissioningLine.objects.get(pk=commissioning_line_a.pk).full_clean()


@pytest.mark.django_db
def test_admin_stream_without_lines_may_move_to_another_year(client, admin_user, funding_stream_a):
    client.force_login(admin_user)
    url = reverse("admin:commissioning_fundingstream_change", args=[funding_stream_a.pk])

    page = client.get(url).content.decode()
    response = client.post(url, _stream_form(funding_stream_a, financial_year=2019))

    assert 'name="financial_year"' in page
    assert response.status_code == 302
    funding_stream_a.refresh_from_db()
    assert funding_stream_a.financial_year == 2019


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "message"), [("financial_year", KEEP_YEAR), ("partnership", KEEP_PARTNERSHIP)]
)
def test_stream_with_lines_refuses_a_move_from_any_path(
    commissioning_line_a, partnership_b, field, message
):
    stream = FundingStream.objects.get(pk=commissioning_line_a.funding_stream_id)
    setattr(stream, field, {"financial_year": 2019, "partnership": partnership_b}[field])

    with pytest.raises(ValidationError) as refused:
        stream.full_clean()

    assert refused.value.message_dict == {field: [message]}


@pytest.mark.django_db
def test_stream_save_refuses_moving_a_stream_with_lines_to_another_year(commissioning_line_a):
    stream = commissioning_line_a.funding_stream

    with pytest.raises(ValidationError) as refused:
        services.stream_save(
            partnership=stream.partnership,
            financial_year=2019,
            source=stream.source,
            amount=stream.amount,
            stream=stream,
            by=None,
        )

    assert refused.value.message_dict == {"financial_year": [KEEP_YEAR]}
    stream.refresh_from_db()
    assert stream.financial_year == 2017


@pytest.mark.django_db
def test_import_of_a_stream_in_another_year_adds_one_and_keeps_the_lines_stream(
    commissioning_line_a,
):
    funding = "partnership,financial_year,source,amount\npartnership-a,2019/20,PCC grant,5\n"
    errors: list[str] = []
    tables = {"funding": importing.reading.rows_from_csv(funding, "funding", errors)}

    report = importing.import_tables(tables, by=None)

    assert report.created == {"funding": 1}
    assert sorted(FundingStream.objects.values_list("financial_year", "amount")) == [
        (2017, Decimal("400568.00")),
        (2019, Decimal("5.00")),
    ]
    CommissioningLine.objects.get(pk=commissioning_line_a.pk).full_clean()
