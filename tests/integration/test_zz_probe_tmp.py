from tests.integration.test_notice_delivery import *  # noqa
from tests.integration.test_notice_delivery import _completed, _drain, _notices
from functions.notice_worker import mark_dead_letters


def test_probe_retry_after_max_age(api, wired, queue, mini):
    no, nid = _completed(api, queue)
    mark_dead_letters(load_event("sqs/notice", NOTICE_ID=nid, GEN="0"), None)
    wired.clock.advance(seconds=4 * 86400)
    out = api.backend("POST", f"/backend/v1/notices/{nid}/retry")
    assert out.status_code == 200
    _drain(wired, queue, nid)
    n = _notices(api, no)[0]
    print("STATUS", n["status"], n["attempts"][-1], len(mini.sent))
