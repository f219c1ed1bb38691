"""Licences (证照) with expiry, keyed to the citizen by the hash of their ID number."""

from __future__ import annotations

from shared.clock import Clock
from shared.contract.commands import UpsertLicence
from shared.contract.records import Citizen, Licence
from shared.contract.staff import Acting
from shared.contract.views import LicenceView
from shared.errors import ValidationFailed
from shared.personal_data import keyed_hash, mask_id
from shared.services.audit import stage_audit
from shared.storage.ports import UnitOfWorkFactory


class LicenceService:
    """Upserts licences from the backend and lists a citizen's own."""

    def __init__(self, uow: UnitOfWorkFactory, pepper: str, clock: Clock):
        self.uow, self.pepper, self.clock = uow, pepper, clock

    def upsert(self, licence_id: str, cmd: UpsertLicence, by: Acting | None = None) -> LicenceView:
        """Create or replace; a changed ``expires_on`` re-arms the reminders (new expiry key); ``by``: who, for the
        audit log."""
        if not 1 <= len(licence_id) <= 64:
            raise ValidationFailed.field("licence_id", "1-64 characters")
        id_hash = keyed_hash(self.pepper, cmd.id_number)
        licence = Licence(licence_id=licence_id, id_hash=id_hash, kind=cmd.kind, number_masked=mask_id(cmd.number),
                          number_hash=keyed_hash(self.pepper, f"licence:{cmd.number}"),
                          expires_on=cmd.expires_on, updated_at=self.clock.now())
        uow = self.uow()
        uow.licences.put(licence, uow.citizens.id_of(id_hash))
        stage_audit(uow, by, "licence.upsert", licence_id, None, licence, licence.updated_at)
        uow.commit()
        return _view(licence)

    def list_own(self, citizen: Citizen) -> list[LicenceView]:
        """The citizen's licences, soonest expiry first."""
        return sorted((_view(lic) for lic in self.uow().licences.of_holder(citizen.id_hash)),
                      key=lambda v: v.expires_on)


def _view(licence: Licence) -> LicenceView:
    return LicenceView(licence_id=licence.licence_id, kind=licence.kind, number_masked=licence.number_masked,
                       expires_on=licence.expires_on)
