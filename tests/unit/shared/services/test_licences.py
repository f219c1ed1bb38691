"""LicenceService on the in-memory store: masked upserts and the holder's own list."""

from __future__ import annotations

from datetime import date

from shared.clock import FixedClock
from shared.contract.commands import UpsertLicence
from shared.contract.records import Citizen
from shared.personal_data import keyed_hash
from shared.services.licences import LicenceService
from shared.storage.memory import MemoryStore
from tests.helpers import VALID_ID


def test_a_licence_is_stored_masked_and_listed_for_its_holder_soonest_first(store: MemoryStore,
                                                                            fixed_clock: FixedClock,
                                                                            citizen: Citizen) -> None:
    licences = LicenceService(store.unit_of_work, "pepper", fixed_clock)
    holder = citizen.model_copy(update={"id_hash": keyed_hash("pepper", VALID_ID)})
    for licence_id, expires in (("L-1", date(2030, 1, 1)), ("L-2", date(2027, 3, 1))):
        view = licences.upsert(licence_id, UpsertLicence(id_number=VALID_ID, kind="driving_licence",
                                                         number="110105194912310020", expires_on=expires))
        assert view.number_masked == "110***********0020"
    assert [v.licence_id for v in licences.list_own(holder)] == ["L-2", "L-1"]
    assert licences.list_own(citizen) == []
    assert "110105194912310020" not in repr(store.records["licences"])
