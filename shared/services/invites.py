"""Rating invites (好差评邀请): 3 days after completion, when no rating came and the window is open.

Finished applications are indexed by day (``gsi2`` ``DONE#<date>``); each is invited once
(``invited`` set in the same transaction that stores the notice).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from shared.contract.domain_events import RatingInvited
from shared.contract.records import Notice
from shared.errors import Unavailable
from shared.services.notices import NoticeService, notice_puts
from shared.storage.dynamo import Table, TransactionCancelled

AFTER_DAYS = 3


class RatingInvites:
    """Invites citizens to rate finished applications."""

    def __init__(self, table: Table, notices: NoticeService, window_days: int):
        self.table, self.notices, self.window = table, notices, window_days

    def run(self, now: datetime) -> dict[str, int]:
        """Invite for every application finished 3 or more days ago (a missed run catches up)."""
        created: list[Notice] = []
        for days in range(AFTER_DAYS, self.window):
            day = (now - timedelta(days=days)).date().isoformat()
            for app in self.table.query("gsi2pk = :p", {":p": f"DONE#{day}"}, index="gsi2"):
                if app.get("rating") or app.get("invited") or app.get("status") not in ("completed", "rejected"):
                    continue
                owed = self.notices.owed_by([RatingInvited(application_no=app["application_no"],
                                                           citizen_id=app["citizen_id"], item_name=app["item_name"])])
                try:
                    self.table.transact([{"Update": {
                        "Key": {"pk": app["pk"], "sk": "APP"}, "UpdateExpression": "SET invited = :t",
                        "ConditionExpression": "attribute_not_exists(invited) AND attribute_not_exists(rating)",
                        "ExpressionAttributeValues": {":t": True}}}, *(a for n in owed for a in notice_puts(n))])
                except TransactionCancelled as exc:
                    if exc.reasons[:1] == ["ConditionalCheckFailed"]:
                        continue  # rated or invited in the meantime
                    raise Unavailable("rating invites could not be written; the next run catches up") from None
                created += owed
        self.notices.dispatch(created)
        return {"invited": len(created)}
