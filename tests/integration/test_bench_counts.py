"""The counts ``make bench`` prints, held as tests (counts, never timings)."""

from __future__ import annotations


def test_an_oa_progress_message_costs_at_most_two_dynamodb_requests() -> None:
    from infra.bench.wechat_figures import dynamodb_requests

    assert dynamodb_requests() <= 2


def test_a_cold_start_reads_the_prod_settings_in_at_most_two_aws_calls() -> None:
    from infra.bench.cold_start import settings_calls

    calls, references = settings_calls()
    assert references >= 15 and calls <= 2


def test_the_report_page_reads_each_month_once_whatever_the_data() -> None:
    from infra.bench.report_figures import report_page

    small = report_page(applications=600, complaints=120)
    assert small["requests"] - small["floor_requests"] <= 2
    assert small["floor_requests"] >= 12, "each of six months: its rating log and its complaints"
