"""Applications (申办): idempotent submission, progress, withdrawal, backend events, ratings."""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from shared.clock import Clock
from shared.contract.commands import RateApplication, RecordApplicationEvent, SubmitApplication
from shared.contract.domain_events import ApplicationCompleted, ApplicationStatusChanged, SupplementRequired
from shared.contract.records import Application, Citizen, Rating, RectificationCase, TimelineEntry
from shared.contract.staff import Acting
from shared.contract.views import ItemRef, ProgressView, RatingView, SubmittedView
from shared.contract.vocabulary import AppStatus, rating_label, status_label
from shared.errors import (
    AlreadyRated,
    BadRequest,
    Forbidden,
    IdempotencyConflict,
    InvalidTransition,
    NotFound,
    NotRatable,
    Unavailable,
    ValidationFailed,
)
from shared.lifecycle import APPLICATION_MOVES, CITIZEN_ONLY, RATABLE, check_move
from shared.ports import ApprovalBackend
from shared.services.audit import stage_audit
from shared.services.notices import NoticeService
from shared.sessions import Principal
from shared.storage.ports import UnitOfWorkFactory, WriteConflict
from shared.workdays import add_working_days

log = logging.getLogger(__name__)

IDEMPOTENCY_TTL = 24 * 3600
EVENT_ON: dict[str, type[ApplicationStatusChanged]] = {
    AppStatus.COMPLETED: ApplicationCompleted, AppStatus.REJECTED: ApplicationCompleted,
    AppStatus.SUPPLEMENT_REQUIRED: SupplementRequired}
FINISHING = {AppStatus.COMPLETED, AppStatus.REJECTED, AppStatus.WITHDRAWN}


class ApplicationService:
    """Use cases of one application's life."""

    def __init__(self, uow: UnitOfWorkFactory, backend: ApprovalBackend, notices: NoticeService, clock: Clock, *,
                 rating_window_days: int, rectify_working_days: int, serials: Callable[[], int] | None = None):
        self.uow, self.backend, self.notices, self.clock = uow, backend, notices, clock
        self.serials = serials or (lambda: secrets.randbelow(10**6))  # the day's six-digit part of a number
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
        problems += self._area_problems(cmd)
        if problems:
            raise ValidationFailed("the form is incomplete or has unknown fields", problems)
        canonical = json.dumps(cmd.model_dump(), sort_keys=True, ensure_ascii=False)
        body_hash = hashlib.sha256(canonical.encode()).hexdigest()
        request = f"{principal.key}#{idempotency_key}"  # one account's key, never another's
        replay = self._replay(request, body_hash)
        if replay:
            return replay
        now = self.clock.now()
        for _ in range(5):
            no = f"SB{now:%Y%m%d}{self.serials():06d}"
            app = Application(application_no=no, citizen_id=citizen.citizen_id, account=principal.key,
                              item_code=item.code, item_name=item.name, promised_days=item.promised_days,
                              form=dict(cmd.form), status=AppStatus.SUBMITTED, township=cmd.township,
                              village=cmd.village,
                              timeline=[TimelineEntry(status=AppStatus.SUBMITTED, at=now)], submitted_at=now)
            uow = self.uow()
            uow.idempotency.add(request, body_hash, no, int(now.timestamp()) + IDEMPOTENCY_TTL)
            uow.applications.add(app)
            try:
                uow.commit()
            except WriteConflict as exc:
                if exc.label == "idempotency.add":
                    replay = self._replay(request, body_hash)
                    if replay:
                        return replay
                continue  # number collision (or a transient conflict): draw another number
            self.backend.submitted(app)
            log.info("application submitted", extra={"application_no": no, "item_code": item.code})
            return SubmittedView(application_no=no, status=app.status, item_code=item.code, submitted_at=now)
        raise Unavailable("could not allocate an application number, try again")

    def _area_problems(self, cmd: SubmitApplication) -> list[dict[str, str]]:
        """A named township must be the county's, a named village one of that township's."""
        areas = self.backend.areas()
        if cmd.township is not None and cmd.township not in areas:
            return [{"field": "township", "message": "not a township of this county (see areas in GET /v1/items)"}]
        if cmd.village is not None and (cmd.township is None or cmd.village not in areas[cmd.township]):
            return [{"field": "village", "message": "not a village of the township given"}]
        return []

    def _replay(self, request: str, body_hash: str) -> SubmittedView | None:
        seen = self.uow().idempotency.get(request)
        if seen is None:
            return None
        if seen[0] != body_hash:
            raise IdempotencyConflict()
        app = self._load(seen[1])
        return SubmittedView(application_no=app.application_no, status=app.status,  # as it stands now
                             item_code=app.item_code, submitted_at=app.submitted_at)

    def list_own(self, citizen: Citizen, limit: int | None = None) -> list[ProgressView]:
        """The citizen's applications, newest first."""
        return [self.view(a, citizen.preferences.locale)
                for a in self.uow().applications.of_citizen(citizen.citizen_id, limit)]

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

    def ratable(self, app: Application) -> bool:
        """Whether the citizen may rate it now: finished, not rated, inside the rating window."""
        return app.rating is None and app.status in RATABLE and app.finished_at is not None and \
            self.clock.now() <= app.finished_at + self.rating_window

    def rate(self, citizen: Citizen, no: str, cmd: RateApplication, channel: str) -> RatingView:
        """一事一评, only after completion and within the window; level ≤ 2 opens a case."""
        app = self.get_own(citizen, no)
        now = self.clock.now()
        if app.rating is not None:
            raise AlreadyRated()
        if not self.ratable(app):
            raise NotRatable()
        case_id = f"ZG{now:%Y%m%d}{uuid.uuid4().hex[:8].upper()}" if cmd.level <= 2 else None
        rating = Rating(level=cmd.level, comment=cmd.comment, rated_at=now, channel=channel, case_id=case_id)
        uow = self.uow()
        uow.applications.rate(app, app.model_copy(update={"rating": rating}))
        item = self.backend.item(app.item_code)
        log_entry = {"application_no": no, "level": cmd.level, "rated_at": now.isoformat(),
                     "department": item.department if item else "-", "tier": item.tier.value if item else "county"}
        if case_id:
            case = RectificationCase(case_id=case_id, application_no=no,
                                     department=item.department if item else None,
                                     tier=item.tier.value if item else None,
                                     township=app.township, village=app.village,
                                     citizen_id=citizen.citizen_id, level=cmd.level, status="open",
                                     due=add_working_days(now.date(), self.rectify_days),
                                     timeline=[TimelineEntry(status="open", at=now, note=cmd.comment)])
            log_entry["case_id"] = case.case_id
            uow.cases.add(case)
        uow.rating_log.add(log_entry)  # the month's rating log, for the assessment report
        try:
            uow.commit()
        except WriteConflict:
            raise (AlreadyRated() if self._load(no).rating else NotRatable()) from None
        log.info("application rated", extra={"application_no": no, "level": cmd.level})
        return RatingView(level=rating.level, label=rating_label(rating.level, citizen.preferences.locale),
                          rated_at=now)

    # --- backend side -------------------------------------------------------------------
    def record_event(self, no: str, cmd: RecordApplicationEvent, by: Acting | None = None) -> ProgressView:
        """The approval system moves an application; final and supplement moves owe notices; ``by`` (who
        signed) must reach the item's department and tier, and the move is audited."""
        app = self._load(no)
        if by is not None:
            item = self.backend.item(app.item_code)
            if not by.reaches(item.department if item else None, item.tier.value if item else None):
                raise Forbidden(f"application {no[:64]} is outside {by.actor}'s department or tier")
        return self.view(self._move(app, cmd.status, cmd.note, citizen=False, by=by))

    def _move(self, app: Application, target: str, note: str | None, *, citizen: bool,
              by: Acting | None = None) -> Application:
        if target in CITIZEN_ONLY and not citizen:
            raise InvalidTransition(app.status, target)
        check_move(APPLICATION_MOVES, app.status, target)
        now = self.clock.now()
        changes: dict[str, Any] = {"status": target, "timeline": [*app.timeline, TimelineEntry(status=target, at=now,
                                                                                              note=note)]}
        if target == AppStatus.ACCEPTED:
            changes["deadline"] = add_working_days(now.date(), app.promised_days)
        if target in FINISHING:
            changes["finished_at"] = now
        events = [EVENT_ON[target](application_no=app.application_no, citizen_id=app.citizen_id, status=target,
                                   item_name=app.item_name, note=note or "", origin=app.account.split("#", 1)[0],
                                   step=len(app.timeline))] if target in EVENT_ON else []
        notices = self.notices.owed_by(events)
        uow = self.uow()
        moved = app.model_copy(update=changes)
        uow.applications.move(app, moved)
        for notice in notices:
            uow.notices.add(notice, len(app.timeline))
        stage_audit(uow, by, f"application.{target}", app.application_no, app, moved, now)
        try:
            uow.commit()
        except WriteConflict:
            raise InvalidTransition(self._load(app.application_no).status, target) from None
        log.info("application moved", extra={"application_no": app.application_no, "from": app.status, "to": target})
        self.notices.dispatch(notices)
        return self._load(app.application_no)

    # --- views --------------------------------------------------------------------------
    def _load(self, no: str) -> Application:
        app = self.uow().applications.get(no)
        if app is None:
            raise NotFound(f"no application {no[:64]}")
        return app

    def view(self, app: Application, locale: str = "zh-CN") -> ProgressView:
        """The progress view of an application."""
        rating = app.rating
        return ProgressView(
            application_no=app.application_no, item=ItemRef(code=app.item_code, name=app.item_name),
            status=app.status, status_label=status_label(app.status, locale), timeline=app.timeline,
            deadline=app.deadline,
            rating=RatingView(level=rating.level, label=rating_label(rating.level, locale), rated_at=rating.rated_at)
            if rating else None)
