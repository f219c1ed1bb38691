"""``/v1/subscriptions``: one-time consent credits per template for the caller's channel account."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from functions.bootstrap import Services
from shared.sessions import Principal
from tests.helpers import Api


def test_templates_and_zero_credits_are_listed_for_the_channel(api: Api) -> None:
    out = api.call("GET", "/v1/subscriptions", token=api.token("wechat_mini", "m-1"))
    assert out.status_code == 200
    assert out.json_body == {"templates": {"completion": "TPL-DONE", "supplement_required": "TPL-SUPP"},
                             "credits": {"TPL-DONE": 0, "TPL-SUPP": 0}}


def test_a_channel_without_templates_lists_none(api: Api) -> None:
    out = api.call("GET", "/v1/subscriptions", token=api.token("alipay", "2088000000000001"))
    assert out.json_body == {"templates": {}, "credits": {}}


def test_consents_add_one_credit_each(api: Api) -> None:
    token = api.token("wechat_mini", "m-1")
    api.call("POST", "/v1/subscriptions", {"template_ids": ["TPL-DONE"]}, token)
    out = api.call("POST", "/v1/subscriptions", {"template_ids": ["TPL-DONE", "TPL-SUPP"]}, token)
    assert out.status_code == 200
    assert out.json_body == {"credits": {"TPL-DONE": 2, "TPL-SUPP": 1}}


def test_an_unknown_template_is_422_and_records_nothing(api: Api) -> None:
    token = api.token("wechat_mini", "m-1")
    out = api.call("POST", "/v1/subscriptions", {"template_ids": ["TPL-DONE", "NOPE"]}, token)
    assert out.status_code == 422
    assert api.call("GET", "/v1/subscriptions", token=token).json_body["credits"]["TPL-DONE"] == 0


def test_an_empty_list_is_422(api: Api) -> None:
    assert api.call("POST", "/v1/subscriptions", {"template_ids": []}, api.token()).status_code == 422


def test_consuming_credits_concurrently_never_goes_below_zero(api: Api, svc: Services) -> None:
    token = api.token("wechat_mini", "m-2")
    api.call("POST", "/v1/subscriptions", {"template_ids": ["TPL-DONE", "TPL-DONE"]}, token)
    who = Principal("wechat_mini", "m-2")
    with ThreadPoolExecutor(6) as pool:
        taken = list(pool.map(lambda _: svc.subscriptions.consume(who, "TPL-DONE"), range(6)))
    assert taken.count(True) == 2
    assert svc.subscriptions.credits(who)["TPL-DONE"] == 0
