"""Backend request signing and consent credits on the in-memory store."""

from __future__ import annotations

import pytest

from shared.clock import FixedClock
from shared.contract.commands import RecordConsents
from shared.errors import Unauthorized, ValidationFailed
from shared.services.backend_auth import BackendVerifier, sign
from shared.services.backend_keys import BackendKeyService, key_root
from shared.services.subscriptions import SubscriptionService
from shared.sessions import Principal
from shared.storage.memory import MemoryStore


def test_a_signed_request_is_accepted_once_and_a_forged_one_never(store: MemoryStore,
                                                                   fixed_clock: FixedClock) -> None:
    keys = BackendKeyService(store.unit_of_work, fixed_clock, key_root("", "hmac-key"))
    verifier = BackendVerifier(store.unit_of_work, "hmac-key", fixed_clock, keys)
    ts = str(int(fixed_clock.now().timestamp()))
    good = sign("hmac-key", ts, "nonce-0001", "POST", "/backend/v1/x", b"{}")
    verifier.verify(ts, "nonce-0001", good, "POST", ["/backend/v1/x"], b"{}")
    with pytest.raises(Unauthorized, match="nonce already used"):
        verifier.verify(ts, "nonce-0001", good, "POST", ["/backend/v1/x"], b"{}")
    forged = sign("other-key", ts, "nonce-0002", "POST", "/backend/v1/x", b"{}")
    with pytest.raises(Unauthorized, match="bad signature"):
        verifier.verify(ts, "nonce-0002", forged, "POST", ["/backend/v1/x"], b"{}")
    with pytest.raises(Unauthorized, match="300 s"):
        old = str(int(ts) - 301)
        verifier.verify(old, "nonce-0003", sign("hmac-key", old, "nonce-0003", "POST", "/backend/v1/x", b"{}"),
                        "POST", ["/backend/v1/x"], b"{}")


def test_consents_become_credits_that_one_send_each_consumes(store: MemoryStore) -> None:
    subscriptions = SubscriptionService(store.unit_of_work, {"wechat_mini": {"completion": "TPL-DONE"}})
    who = Principal("wechat_mini", "o-1")
    assert subscriptions.credits(who) == {"TPL-DONE": 0}
    with pytest.raises(ValidationFailed):
        subscriptions.record(who, RecordConsents(template_ids=["TPL-OTHER"]))
    assert subscriptions.record(who, RecordConsents(template_ids=["TPL-DONE"])) == {"TPL-DONE": 1}
    assert subscriptions.consume(who, "TPL-DONE") is True
    assert subscriptions.consume(who, "TPL-DONE") is False
