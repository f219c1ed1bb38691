"""Applications (申办): idempotent submission, progress, withdrawal, backend events, ratings."""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import uuid
from datetime import timedelta
from typing import Any

from shared.clock import Clock
from shared.contract.commands import RateApplication, RecordApplicationEvent, SubmitApplication
from shared.contract.domain_events import ApplicationCompleted, ApplicationStatusChanged, SupplementRequired
from shared.contract.records import Application, Citizen, Rating, RectificationCase, TimelineEntry
from shared.contract.views import ItemRef, ProgressView, RatingView, SubmittedView
from shared.contract.vocabulary import AppStatus, rating_label, status_label
from shared.errors import (
    AlreadyRated,
    BadRequest,
    IdempotencyConflict,
    InvalidTransition,
    NotFound,
    NotRatable,
    Unavailable,
    ValidationFailed,
)
from shared.lifecycle import APPLICATION_MOVES, CITIZEN_ONLY, RATABLE, check_move
from shared.ports import ApprovalBackend
from shared.services.notices import NoticeService, notice_puts
from shared.sessions import Principal
from shared.storage.dynamo import Table, TransactionCancelled
from shared.workdays import add_working_days

log = logging.getLogger(__name__)

IDEMPOTENCY_TTL = 24 * 3600
EVENT_ON: dict[str, type[ApplicationStatusChanged]] = {
    AppStatus.COMPLETED: ApplicationCompleted, AppStatus.REJECTED: ApplicationCompleted,
    AppStatus.SUPPLEMENT_REQUIRED: SupplementRequired}
FINISHING = {AppStatus.COMPLETED, AppStatus.REJECTED, AppStatus.WITHDRAWN}


class ApplicationService:
    """Use cases of one application's life."""

    def __init__(self, table: Table, backend: ApprovalBackend, notices: NoticeService, clock: Clock, *,
                 rating_window_days: int, rectify_working_days: int):
        self.table, self.backend, self.notices, self.clock = table, backend, notices, clock
        self.rating_window = timedelta(days=rating_window_days)
        self.rectify_days = rectify_working_days

    # --- citizen side -------------------------------------------------------------------
    def submit(self, principal: Principal, citizen: Citizen, cmd: SubmitApplication,
               idempotency_key: str | None) -> SubmittedView:
        """Create an application once per Idempotency-Key; the same key and body replays it."""
        if not idempotency_key or len(idempotency_key) > 128 or not idempotency_key.isprintable():
            raise BadRequest("Idempotency-Key header (1-128 printable characters) is required")
        item = self.backend.item(cmd.item_code)
        if item is None:
            raise ValidationFailed.field("item_code", "unknown service item")
        known = {f.name for f in item.fields}
        problems = [{"field": f"form.{f.name}", "message": "required"} for f in item.fields
                    if f.required and not cmd.form.get(f.name, "").strip()]
        problems += [{"field": f"form.{k}", "message": "not a field of this item"} for k in cmd.form if k not in known]
        if problems:
            raise ValidationFailed("the form is incomplete or has unknown fields", problems)
        canonical = json.dumps(cmd.model_dump(), sort_keys=True, ensure_ascii=False)
        body_hash = hashlib.sha256(canonical.encode()).hexdigest()
        idem_pk = f"IDEM#{principal.key}#{idempotency_key}"
        replay = self._replay(idem_pk, body_hash)
        if replay:
            return replay
        now = self.clock.now()
        for _ in range(5):
            no = f"SB{now:%Y%m%d}{secrets.randbelow(10**6):06d}"
            app = Application(application_no=no, citizen_id=citizen.citizen_id, account=principal.key,
                              item_code=item.code, item_name=item.name, promised_days=item.promised_days,
                              form=dict(cmd.form), status=AppStatus.SUBMITTED,
                              timeline=[TimelineEntry(status=AppStatus.SUBMITTED, at=now)], submitted_at=now)
            record = {"pk": f"APP#{no}", "sk": "APP", "gsi1pk": f"CIT#{citizen.citizen_id}",
                      "gsi1sk": f"APP#{now.isoformat()}#{no}",
                      **app.model_dump(mode="json", exclude_none=True)}
            idem = {"pk": idem_pk, "sk": "IDEM", "body_hash": body_hash, "application_no": no,
                    "ttl": int(now.timestamp()) + IDEMPOTENCY_TTL}
            try:
                self.table.transact([
                    {"Put": {"Item": idem, "ConditionExpression": "attribute_not_exists(pk)"}},
                    {"Put": {"Item": record, "ConditionExpression": "attribute_not_exists(pk)"}}])
            except TransactionCancelled as exc:
                if exc.reasons[0] == "ConditionalCheckFailed":
                    replay = self._replay(idem_pk, body_hash)
                    if replay:
                        return replay
                continue  # number collision (or a transient conflict): draw another number
            self.backend.submitted(app)
            log.info("application submitted", extra={"application_no": no, "item_code": item.code})
            return SubmittedView(application_no=no, status=app.status, item_code=item.code, submitted_at=now)
        raise Unavailable("could not allocate an application number, try again")

    def _replay(self, idem_pk: str, body_hash: str) -> SubmittedView | None:
        idem = self.table.get(idem_pk, "IDEM")
        if idem is None:
            return None
        if idem["body_hash"] != body_hash:
            raise IdempotencyConflict()
        app = self._load(idem["application_no"])
        return SubmittedView(application_no=app.application_no, status=app.status,  # as it stands now
                             item_code=app.item_code, submitted_at=app.submitted_at)

    def list_own(self, citizen: Citizen, limit: int | None = None) -> list[ProgressView]:
        """The citizen's applications, newest first."""
        items = self.table.query("gsi1pk = :p AND begins_with(gsi1sk, :a)",
                                 {":p": f"CIT#{citizen.citizen_id}", ":a": "APP#"}, index="gsi1",
                                 forward=False, limit=limit)
        return [self.view(Application.model_validate(i), citizen.preferences.locale) for i in items]

    def get_own(self, citizen: Citizen, no: str) -> Application:
        """One of the citizen's applications (another citizen's is 404)."""
        app = self._load(no)
        if app.citizen_id != citizen.citizen_id:
            raise NotFound(f"no application {no}")
        return app

    def withdraw(self, citizen: Citizen, no: str) -> ProgressView:
        """The citizen withdraws before the application is final."""
        app = self.get_own(citizen, no)
        return self.view(self._move(app, AppStatus.WITHDRAWN, None, citizen=True), citizen.preferences.locale)

    def rate(self, citizen: Citizen, no: str, cmd: RateApplication, channel: str) -> RatingView:
        """一事一评, only after completion and within the window; level ≤ 2 opens a case."""
        app = self.get_own(citizen, no)
        now = self.clock.now()
        if app.rating is not None:
            raise AlreadyRated()
        if app.status not in RATABLE or app.finished_at is None or now > app.finished_at + self.rating_window:
            raise NotRatable()
        rating = Rating(level=cmd.level, comment=cmd.comment, rated_at=now, channel=channel)
        actions: list[dict[str, Any]] = [{"Update": {
            "Key": {"pk": f"APP#{no}", "sk": "APP"}, "UpdateExpression": "SET rating = :r",
            "ConditionExpression": "attribute_not_exists(rating) AND #s IN (:c, :x)",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":r": rating.model_dump(mode="json", exclude_none=True),
                                          ":c": AppStatus.COMPLETED.value, ":x": AppStatus.REJECTED.value}}}]
        item = self.backend.item(app.item_code)
        log_entry = {"pk": f"RATINGS#{now:%Y-%m}", "sk": f"{now.isoformat()}#{no}", "application_no": no,
                     "level": cmd.level, "rated_at": now.isoformat(), "department": item.department if item else "-",
                     "tier": item.tier.value if item else "county"}
        if cmd.level <= 2:
            case = RectificationCase(case_id=f"ZG{now:%Y%m%d}{uuid.uuid4().hex[:8].upper()}", application_no=no,
                                     department=item.department if item else None,
                                     citizen_id=citizen.citizen_id, level=cmd.level, status="open",
                                     due=add_working_days(now.date(), self.rectify_days),
                                     timeline=[TimelineEntry(status="open", at=now, note=cmd.comment)])
            log_entry["case_id"] = case.case_id
            actions.append({"Put": {"Item": {"pk": f"CASE#{case.case_id}", "sk": "CASE", "gsi1pk": "CASES#open",
                                             "gsi1sk": f"{case.due.isoformat()}#{case.case_id}",
                                             **case.model_dump(mode="json", exclude_none=True)},
                                    "ConditionExpression": "attribute_not_exists(pk)"}})
        actions.append({"Put": {"Item": log_entry}})  # the month's rating log, for the assessment report
        try:
            self.table.transact(actions)
        except TransactionCancelled:
            raise (AlreadyRated() if self._load(no).rating else NotRatable()) from None
        log.info("application rated", extra={"application_no": no, "level": cmd.level})
        return RatingView(level=rating.level, label=rating_label(rating.level, citizen.preferences.locale),
                          rated_at=now)

    # --- backend side -------------------------------------------------------------------
    def record_event(self, no: str, cmd: RecordApplicationEvent) -> ProgressView:
        """The approval system moves an application; final and supplement moves owe notices."""
        return self.view(self._move(self._load(no), cmd.status, cmd.note, citizen=False))

    def _move(self, app: Application, target: str, note: str | None, *, citizen: bool) -> Application:
        if target in CITIZEN_ONLY and not citizen:
            raise InvalidTransition(app.status, target)
        check_move(APPLICATION_MOVES, app.status, target)
        now = self.clock.now()
        entry = TimelineEntry(status=target, at=now, note=note)
        sets = ["#s = :to", "timeline = list_append(timeline, :e)"]
        values: dict[str, Any] = {":to": target, ":from": app.status,
                                  ":e": [entry.model_dump(mode="json", exclude_none=True)]}
        if target == AppStatus.ACCEPTED:
            values[":d"] = add_working_days(now.date(), app.promised_days).isoformat()
            sets.append("deadline = :d")
        if target in FINISHING:
            values[":f"] = now.isoformat()
            sets.append("finished_at = :f")
        if target in RATABLE:  # indexed by day for the rating invites
            values[":g2"], values[":g2s"] = f"DONE#{now.date().isoformat()}", app.application_no
            sets += ["gsi2pk = :g2", "gsi2sk = :g2s"]
        events = [EVENT_ON[target](application_no=app.application_no, citizen_id=app.citizen_id, status=target,
                                   item_name=app.item_name, note=note or "", origin=app.account.split("#", 1)[0],
                                   step=len(app.timeline))] if target in EVENT_ON else []
        notices = self.notices.owed_by(events)
        owed = [a for n in notices for a in notice_puts(n, len(app.timeline))]
        try:
            self.table.transact([{"Update": {
                "Key": {"pk": f"APP#{app.application_no}", "sk": "APP"}, "UpdateExpression": "SET " + ", ".join(sets),
                "ConditionExpression": "#s = :from", "ExpressionAttributeNames": {"#s": "status"},
                "ExpressionAttributeValues": values}}, *owed])
        except TransactionCancelled:
            raise InvalidTransition(self._load(app.application_no).status, target) from None
        log.info("application moved", extra={"application_no": app.application_no, "from": app.status, "to": target})
        self.notices.dispatch(notices)
        return self._load(app.application_no)

    # --- views --------------------------------------------------------------------------
    def _load(self, no: str) -> Application:
        item = self.table.get(f"APP#{no}", "APP") if len(no) <= 64 else None
        if item is None:
            raise NotFound(f"no application {no[:64]}")
        return Application.model_validate(item)

    def view(self, app: Application, locale: str = "zh-CN") -> ProgressView:
        """The progress view of an application."""
        rating = app.rating
        return ProgressView(
            application_no=app.application_no, item=ItemRef(code=app.item_code, name=app.item_name),
            status=app.status, status_label=status_label(app.status, locale), timeline=app.timeline,
            deadline=app.deadline,
            rating=RatingView(level=rating.level, label=rating_label(rating.level, locale), rated_at=rating.rated_at)
            if rating else None)
