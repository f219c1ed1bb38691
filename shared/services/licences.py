"""Licences (证照) with expiry, keyed to the citizen by the hash of their ID number."""

from __future__ import annotations

from shared.clock import Clock
from shared.contract.commands import UpsertLicence
from shared.contract.records import Citizen, Licence
from shared.contract.views import LicenceView
from shared.errors import ValidationFailed
from shared.personal_data import keyed_hash, mask_id
from shared.storage.dynamo import Table


class LicenceService:
    """Upserts licences from the backend and lists a citizen's own."""

    def __init__(self, table: Table, pepper: str, clock: Clock):
        self.table, self.pepper, self.clock = table, pepper, clock

    def upsert(self, licence_id: str, cmd: UpsertLicence) -> LicenceView:
        """Create or replace; a changed ``expires_on`` re-arms the reminders (new expiry key)."""
        if not 1 <= len(licence_id) <= 64:
            raise ValidationFailed.field("licence_id", "1-64 characters")
        id_hash = keyed_hash(self.pepper, cmd.id_number)
        licence = Licence(licence_id=licence_id, id_hash=id_hash, kind=cmd.kind, number_masked=mask_id(cmd.number),
                          number_hash=keyed_hash(self.pepper, f"licence:{cmd.number}"),
                          expires_on=cmd.expires_on, updated_at=self.clock.now())
        holder = self.table.get(f"IDH#{id_hash}", "IDH")
        self.table.put({"pk": f"LIC#{licence_id}", "sk": "LIC", "gsi1pk": f"IDH#{id_hash}",
                        "citizen_id": holder["citizen_id"] if holder else None,
                        "gsi1sk": f"LIC#{cmd.kind.value}#{licence_id}",
                        "gsi2pk": f"EXP#{cmd.expires_on.isoformat()}", "gsi2sk": licence_id,
                        **licence.model_dump(mode="json")})
        return _view(licence)

    def list_own(self, citizen: Citizen) -> list[LicenceView]:
        """The citizen's licences, soonest expiry first."""
        items = self.table.query("gsi1pk = :p AND begins_with(gsi1sk, :l)",
                                 {":p": f"IDH#{citizen.id_hash}", ":l": "LIC#"}, index="gsi1")
        return sorted((_view(Licence.model_validate(i)) for i in items), key=lambda v: v.expires_on)


def _view(licence: Licence) -> LicenceView:
    return LicenceView(licence_id=licence.licence_id, kind=licence.kind, number_masked=licence.number_masked,
                       expires_on=licence.expires_on)
