"""Minqing's Chalice app: builds it and registers the blueprints — nothing else."""

from __future__ import annotations

from chalice import Chalice

from functions import (
    applications,
    auth_alipay,
    auth_wechat,
    backend_applications,
    backend_complaints,
    backend_licences,
    backend_notices,
    backend_rectifications,
    backend_reports,
    chat_worker,
    complaints,
    console,
    console_admin,
    console_board,
    console_cases,
    console_catalogue,
    console_complaints,
    console_keys,
    console_notices,
    console_report,
    console_two_step,
    docs,
    h5,
    h5_applications,
    h5_bind,
    h5_complaints,
    h5_services,
    h5_settings,
    h5_sign_in,
    health,
    identity,
    items,
    licences,
    middleware,
    notice_worker,
    questions,
    schedules,
    sms_inbound,
    sms_uplink,
    subscriptions,
    wechat_oa,
)

BLUEPRINTS = (middleware, health, docs, console, console_admin, console_board, console_complaints, console_cases,
              console_catalogue, console_keys, console_notices, console_report, console_two_step,
              h5, h5_sign_in, h5_bind, h5_services, h5_applications, h5_complaints, h5_settings,
              auth_alipay, auth_wechat, wechat_oa, items, questions, identity, applications, complaints,
              subscriptions, licences, backend_applications, backend_notices, backend_licences,
              backend_rectifications, backend_reports, backend_complaints, notice_worker, chat_worker,
              sms_inbound, sms_uplink, schedules)

app = Chalice(app_name="minqing", configure_logs=False)
for module in BLUEPRINTS:
    app.register_blueprint(module.bp)
