"""The citizen's H5 pages through the app: sign-in by phone or WeChat OAuth, bind, apply, progress, rating,
complaints, settings, licences — and the doors: sessions, CSRF, another citizen's data, masks."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from functions.bootstrap import Services
from shared.ports import ChannelIdentity
from tests.helpers import VALID_ID, Api, FakeSms, H5Visitor

WECHAT_UA = "Mozilla/5.0 (Linux; Android 14) MicroMessenger/8.0.50 Mobile Safari/537.36"
ID_OR_PHONE = re.compile(r"(?<!\d)(?:\d{17}[\dXx]|1[3-9]\d{9})(?!\d)")


def _phone_citizen(api: Api, sms: FakeSms, phone: str = "13800138000", id_number: str = VALID_ID,
                   name: str = "张三") -> H5Visitor:
    """A phone browser signed in by SMS code and bound (no second code: the phone is proven)."""
    b = H5Visitor(api.client)
    b.get("/h5/applications")
    assert b.path == "/h5/sign-in?back=applications"
    b.post("sign-in/code", {"phone": phone})
    assert f"验证码已发送至 {phone[:3]}****{phone[-4:]}" in b.page
    b.post("sign-in", {"code": sms.last_code("+86" + phone)})
    assert b.path == "/h5/bind?back=applications", b.page[-500:]  # not bound yet: binding is the way in
    b.post("bind/start", {"name": name, "id_number": id_number})
    assert b.path == "/h5/applications"  # and then back where the citizen was going
    b.get("/h5/bind")
    assert f"已实名绑定：{name[0]}*，身份证 {id_number[:3]}***********{id_number[-4:]}" in b.page
    return b


def test_a_phone_signs_in_binds_applies_follows_and_rates(api: Api, sms: FakeSms) -> None:
    b = _phone_citizen(api, sms)
    b.get("/h5/apply/V-CW-001")
    b.post("../apply/V-CW-001", {"form.purpose": "子女入学", "place": "城关镇 / 东街社区"})
    no = b.path.rsplit("/", 1)[1]
    assert b.path == f"/h5/applications/{no}" and "已提交" in b.page and "受理后确定" in b.page
    assert api.svc.applications.get_own(api.svc.identity.citizen_of(
        api.svc.identity.tokens.verify(b.cookies["minqing_h5"], 1790560800)), no).village == "东街社区"
    api.walk(no, "accepted", "in_review", "completed")
    b.get(f"/h5/applications/{no}")
    assert "已办结" in b.page and "承诺办结: 2026-" in b.page and 'name="level" value="1"' in b.page
    b.post(f"{no}/rating", {"level": "1", "comment": "跑了三趟"})
    assert b.path == f"/h5/applications/{no}" and "您的评价：非常不满意" in b.page
    assert "整改跟进" in b.page and "已受理整改" in b.page and 'name="level"' not in b.page


class _WeChatSays:
    """WeChat's answer to a web OAuth code: this follower."""

    def exchange(self, code: str) -> ChannelIdentity:
        return ChannelIdentity(account="oFollowerFromOAuth")


def test_an_oa_follower_goes_through_wechat_oauth_and_comes_back_signed_in(api: Api, svc: Services) -> None:
    b = H5Visitor(api.client, WECHAT_UA)
    out = b.get("/h5/applications", follow=False)
    b._keep(out)
    nonce = b.cookies["minqing_h5_oauth"].split(".")[0]
    s = svc.settings
    assert out.status_code == 303 and out.headers["Location"] == (
        f"{s.wechat_open_base}/connect/oauth2/authorize?appid={s.wechat_oa_appid}&redirect_uri="
        f"{quote(s.h5_base + 'login', safe='')}&response_type=code&scope=snsapi_base&state={nonce}#wechat_redirect")
    svc.identity.logins["wechat_oa"] = _WeChatSays()
    b.get(f"/h5/login?code=c1&state={nonce}")
    assert b.path == "/h5/bind?back=applications" and "minqing_h5" in b.cookies
    assert "minqing_h5_oauth" not in b.cookies


def test_an_oauth_return_this_browser_did_not_start_opens_no_session(api: Api, svc: Services) -> None:
    svc.identity.logins["wechat_oa"] = _WeChatSays()
    victim = H5Visitor(api.client, WECHAT_UA)
    victim.get("/h5/bind", follow=False)  # the victim's own nonce is not the attacker's
    out = victim.get("/h5/login?code=attackers-code&state=" + "0" * 32)
    assert out.status_code == 403 and "minqing_h5" not in victim.cookies
    assert H5Visitor(api.client).get("/h5/login?code=c&state=", follow=False).status_code == 403


def test_outside_wechat_a_page_asks_for_the_phone(api: Api) -> None:
    out = H5Visitor(api.client).get("/h5/licences", follow=False)
    assert out.status_code == 303 and out.headers["Location"] == "sign-in?back=licences"


def test_an_oa_session_binds_with_the_code_sent_to_the_phone(api: Api, sms: FakeSms) -> None:
    b = H5Visitor(api.client, WECHAT_UA)
    b.cookies["minqing_h5"] = api.token("wechat_oa", "oFollower1")
    b.get("/h5/bind")
    b.post("bind/start", {"name": "张三", "id_number": VALID_ID, "phone": "13800138000"})
    assert b.path == "/h5/bind" and "验证码已发送至 138****8000" in b.page
    assert VALID_ID not in b.page and all(VALID_ID not in v for v in b.cookies.values())  # sealed, not echoed
    b.post("bind", {"code": "000000"})
    assert "error" in b.page and "验证码已发送至" in b.page  # a wrong code keeps the step
    b.post("bind", {"code": sms.last_code("+8613800138000")})
    assert "已实名绑定：张*，身份证 110***********002X，手机 138****8000" in b.page
    assert "minqing_h5_pending" not in b.cookies


def test_another_session_cannot_use_a_sealed_bind(api: Api, sms: FakeSms) -> None:
    a, other = H5Visitor(api.client), H5Visitor(api.client)
    a.cookies["minqing_h5"] = api.token("wechat_oa", "oA")
    other.cookies["minqing_h5"] = api.token("wechat_oa", "oB")
    a.get("/h5/bind")
    a.post("bind/start", {"name": "张三", "id_number": VALID_ID, "phone": "13800138000"})
    other.cookies["minqing_h5_pending"] = a.cookies["minqing_h5_pending"]
    other.get("/h5/bind")
    assert "验证码已发送至" not in other.page and 'name="id_number"' in other.page


@pytest.mark.parametrize("forged", ["", "0" * 64])
def test_every_h5_form_refuses_a_missing_or_foreign_token(api: Api, sms: FakeSms, forged: str) -> None:
    from app import app

    b = _phone_citizen(api, sms)
    posts = sorted(p for p, r in app.routes.items() if p.startswith("/h5/") and "POST" in r)
    assert len(posts) >= 9
    for path in posts:
        concrete = path.replace("{no}", "SB1").replace("{code}", "V-CW-001")
        out = b.post(concrete, {"content": "x", "level": "5", "phone": "13800138000"}, csrf=forged, follow=False)
        assert out.status_code == 403, (path, out.status_code)
    b.get("/h5/complaints")
    assert "SB1" not in b.page


def test_no_page_shows_another_citizens_application_or_complaint(api: Api, sms: FakeSms) -> None:
    owner = _phone_citizen(api, sms)
    owner.get("/h5/apply/C-GA-001")
    owner.post("../apply/C-GA-001", {"form.reason": "到期"})
    no = owner.path.rsplit("/", 1)[1]
    owner.get("/h5/complaints")
    owner.post("complaints", {"content": "窗口排队太久", "application_no": no})
    complaint = owner.path.rsplit("/", 1)[1]
    stranger = _phone_citizen(api, sms, phone="13900139000", id_number="110101199003074514", name="李四")
    for path in (f"/h5/applications/{no}", f"/h5/complaints/{complaint}"):
        out = stranger.get(path)
        assert out.status_code == 404 and "没有找到" in stranger.page
        assert "居民身份证换领" not in stranger.page and "窗口排队" not in stranger.page
    stranger.get("/h5/applications")
    assert no not in stranger.page
    stranger.get("/h5/complaints")
    assert complaint not in stranger.page
    owner.get("/h5/complaints")
    assert f'href="complaints/{complaint}"' in owner.page and "已登记" in owner.page


def test_masks_hold_on_every_page_a_citizen_reads(api: Api, sms: FakeSms) -> None:
    b = _phone_citizen(api, sms)
    api.backend("PUT", "/backend/v1/licences/JZ-1", {"id_number": VALID_ID, "kind": "driving_licence",
                                                    "number": VALID_ID, "expires_on": "2026-12-01"})
    b.get("/h5/complaints")
    b.post("complaints", {"content": f"我的身份证{VALID_ID}和手机13800138000被别人冒用"})
    pages = [b.page]
    for path in ("/h5/", "/h5/me", "/h5/licences", "/h5/applications", "/h5/bind", "/h5/items/C-GA-001"):
        b.get(path)
        pages.append(b.page)
    assert "110***********002X" in pages[3] and "还剩 64 天" in pages[3]
    for page in pages:
        assert not ID_OR_PHONE.search(re.sub(r'value="[0-9a-f]{64}"', "", page)), ID_OR_PHONE.search(page)


def test_settings_change_channels_language_and_opt_out(api: Api, sms: FakeSms) -> None:
    b = _phone_citizen(api, sms)
    b.get("/h5/me")
    b.post("me", {"channel": "sms", "locale": "en", "sms_opt_out": "1"})
    assert 'lang="en"' in b.page and "Saved." in b.page and b.cookies["minqing_h5_lang"] == "en"
    me = api.svc.identity.me(api.svc.identity.tokens.verify(b.cookies["minqing_h5"], 1790560800))
    assert me.preferences.channels == ["sms"] and me.preferences.sms_opt_out and me.preferences.locale == "en"


def test_the_guide_lists_items_by_tier_and_answers_questions_without_sign_in(api: Api) -> None:
    b = H5Visitor(api.client)
    b.get("/h5/items?tier=village")
    assert "居住证明开具" in b.page and "个体工商户设立登记" not in b.page
    b.get("/h5/items/C-GA-004")
    assert "出生医学证明" in b.page and "县政务服务中心二楼 B02 户政窗口" in b.page and "1 个工作日" in b.page
    b.get("/h5/ask?q=" + quote("孩子刚出生怎么上户口"))
    assert 'href="items/C-GA-004"' in b.page


def test_language_and_accessible_mode_stick_and_never_lead_off_site(api: Api) -> None:
    b = H5Visitor(api.client)
    out = b.get("/h5/language?to=en&back=https://evil.example/x", follow=False)
    assert out.headers["Location"] == "./"
    b.get("/h5/language?to=en&back=items")
    assert b.path == "/h5/items" and '<html lang="en"' in b.page and "Services" in b.page
    b.get("/h5/access?on=1&back=")
    assert '<html lang="en" class=a11y>' in b.page and "Standard mode" in b.page


def test_a_refused_application_keeps_the_form_and_says_why(api: Api, sms: FakeSms) -> None:
    b = _phone_citizen(api, sms)
    b.get("/h5/apply/T-MZ-001")
    out = b.post("../apply/T-MZ-001", {"township": "不存在镇"})
    assert out.status_code == 422 and 'role="alert"' in b.page and "<form" in b.page


def test_a_strange_rating_level_is_refused_as_a_page_not_a_500(api: Api, sms: FakeSms) -> None:
    b = _phone_citizen(api, sms)
    b.get("/h5/apply/C-GA-001")
    b.post("../apply/C-GA-001", {"form.reason": "到期"})
    no = b.path.rsplit("/", 1)[1]
    api.walk(no, "accepted", "in_review", "completed")
    for level in ("²", "9" * 5000, "", "0"):
        b.get(f"/h5/applications/{no}")
        assert b.post(f"{no}/rating", {"level": level}).status_code == 422


def test_a_refused_form_never_writes_an_id_number_back_into_a_field(api: Api, sms: FakeSms) -> None:
    b = _phone_citizen(api, sms)
    b.get("/h5/apply/C-MZ-001")
    out = b.post("../apply/C-MZ-001", {"form.spouse_id_no": "110101199003074514", "form.spouse_name": ""})
    assert out.status_code == 422 and "110101199003074514" not in b.page and "110***" not in b.page
    assert 'name="form.spouse_id_no" maxlength="2000" required value=""' in b.page


def test_first_level_pages_lead_home_and_a_form_posted_after_expiry_returns_to_its_page(api: Api) -> None:
    b = H5Visitor(api.client)
    b.get("/h5/items")
    assert '<a href="./">首页</a>' in b.page
    out = b.post("/h5/applications/SB1/rating", {"level": "5"}, follow=False)
    assert out.status_code == 303 and out.headers["Location"] == "../../sign-in?back=applications%2FSB1"


def test_a_phone_bound_on_h5_is_listed_once_among_the_bindings(api: Api, sms: FakeSms) -> None:
    b = _phone_citizen(api, sms)
    me = api.svc.identity.me(api.svc.identity.tokens.verify(b.cookies["minqing_h5"], 1790560800))
    assert [x.channel for x in me.bindings].count("sms") == 1


def test_refusals_speak_the_pages_language_and_name_the_field(api: Api, sms: FakeSms) -> None:
    b = _phone_citizen(api, sms)
    b.get("/h5/apply/V-CW-001")
    b.post("../apply/V-CW-001", {"form.purpose": "", "place": "城关镇 / 东街社区"})
    alert = re.search(r'role="alert">([^<]*)<', b.page).group(1)
    assert alert == "证明用途：填写有误，请核对。"
    b.get("/h5/language?to=en&back=complaints")
    b.post("complaints", {"content": "x", "application_no": "SB404"})
    assert re.search(r'role="alert">([^<]*)<', b.page).group(1) == "Application number: please check what you entered."


def test_a_trailing_slash_leads_to_the_page_itself(api: Api) -> None:
    out = H5Visitor(api.client).get("/h5/items/", follow=False)
    assert out.status_code == 303 and out.headers["Location"] == "../items"


def test_a_question_over_200_characters_is_told_so(api: Api) -> None:
    b = H5Visitor(api.client)
    out = b.get("/h5/ask?q=" + quote("孩子刚出生怎么上户口" * 30))
    assert out.status_code == 422 and "问题太长了" in b.page
