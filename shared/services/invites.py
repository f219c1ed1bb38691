"""Rating invites (好差评邀请): 3 days after completion, when no rating came and the window is open.

Finished applications are indexed by day (``gsi2`` ``DONE#<date>``); each is invited once
(``invited`` set in the same transaction that stores the notice).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from shared.contract.domain_events import RatingInvited
from shared.contract.records import Notice
from shared.errors import Unavailable
from shared.services.notices import NoticeService
from shared.storage.ports import UnitOfWorkFactory, WriteConflict

AFTER_DAYS = 3


class RatingInvites:
    """Invites citizens to rate finished applications."""

    def __init__(self, uow: UnitOfWorkFactory, notices: NoticeService, window_days: int):
        self.uow, self.notices, self.window = uow, notices, window_days

    def run(self, now: datetime) -> dict[str, int]:
        """Invite for every application finished 3 or more days ago (a missed run catches up)."""
        created: list[Notice] = []
        for days in range(AFTER_DAYS, self.window):
            for app in self.uow().applications.finished_on((now - timedelta(days=days)).date()):
                if app.rating or app.invited:
                    continue
                owed = self.notices.owed_by([RatingInvited(application_no=app.application_no,
                                                           citizen_id=app.citizen_id, item_name=app.item_name)])
                uow = self.uow()
                uow.applications.invite(app)
                for notice in owed:
                    uow.notices.add(notice)
                try:
                    uow.commit()
                except WriteConflict as exc:
                    if exc.label == "applications.invite":
                        continue  # rated or invited in the meantime
                    raise Unavailable("rating invites could not be written; the next run catches up") from None
                created += owed
        self.notices.dispatch(created)
        return {"invited": len(created)}
