"""Every notice ends delivered or failed, once, whatever the providers do: the real app, handlers and
channel adapters against the local world, with the production retry settings in simulated time."""

from __future__ import annotations

from infra.bench.chaos import chaos_county, notice_chaos, outbox_count, reply_chaos


def test_a_notice_reaches_sms_when_every_other_bound_channel_keeps_failing() -> None:
    with chaos_county() as county:
        person = county.citizen(1, credits=1)
        for channel in ("wechat_mini", "wechat_oa", "alipay"):
            county.world.faults[channel] = [{"status": 500}] * 10
        no = county.complete(person["wechat_oa"])
        county.deliver()
        notice = county.notices(no)[0]
        assert notice["status"] == "delivered" and notice["attempts"][-1]["channel"] == "sms"
        tried = [a["channel"] for a in notice["attempts"][:-1]]
        assert tried == ["wechat_oa"] * 5 + ["wechat_mini"] * 5 + ["alipay"] * 5  # the channel applied on first
        assert county.queue.dead_lettered == 0 and outbox_count(county.world, no) == 1


def test_200_notices_with_flaky_providers_and_one_channel_down_all_end_once() -> None:
    figures = notice_chaos(n=200, citizens=20, rate=0.3, down="wechat_mini", seed=7)
    assert figures["stuck"] == 0 and figures["duplicates"] == 0 and figures["unsent_but_delivered"] == 0
    assert figures["delivered"] + figures["failed"] == 200 and figures["delivered"] >= 190
    assert figures["dead_lettered"] == 0 and figures["minutes"] < 3 * 24 * 60


def test_50_sms_queries_while_the_provider_is_down_for_a_minute_are_each_answered_once() -> None:
    figures = reply_chaos(queries=50, citizens=20, down_seconds=60, seed=11)
    assert figures == {"queries": 50, "replies": 50, "missing": 0, "duplicates": 0, "pending": 0}
