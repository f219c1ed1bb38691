"""Single-table DynamoDB storage.

Key schema (table ``MINQING_TABLE``, hash ``pk``, range ``sk``; GSI ``gsi1`` on
``gsi1pk``/``gsi1sk``; GSI ``gsi2`` on ``gsi2pk``/``gsi2sk``; TTL attribute ``ttl``)::

    entity               pk                       sk                     gsi1pk / gsi1sk                    ttl
    citizen              CIT#<citizen_id>         CIT                    PHONE#<+86…> / CIT#<citizen_id>
    ID-number lookup     IDH#<keyed hash>         IDH                    -
    binding              CIT#<citizen_id>         BIND#<channel>#<acct>  -
    channel account      ACC#<channel>#<acct>     ACC                    UNION#<unionid> / ACC#<channel>
    consent credits      ACC#<channel>#<acct>     CREDIT#<template_id>   -
    application          APP#<no>                 APP                    CIT#<citizen_id> / APP#<submitted>#<no>
    idempotency key      IDEM#<channel>#<acct>#<key> IDEM                -                                  24 h
    licence              LIC#<licence_id>         LIC                    IDH#<keyed hash> / LIC#<kind>#<id>
                         (gsi2pk / gsi2sk: EXP#<expires_on> / <licence_id>)
    rectification case   CASE#<case_id>           CASE                   CASES#<status> / <due>#<case_id>
    complaint            CMP#<no>                 CMP                    CMPS#<status> / <due>#<no>
    complaint line       CIT#<citizen_id>         CMP#<registered>#<no>  - (the citizen's complaints, newest first)
    notice               NTC#<notice_id>          NTC                    NTCAPP#<application_no> / <created>#<id>
    OTP                  OTP#<+86…>               OTP                    -                                  1 h 5 min
    backend nonce        NONCE#<nonce>            NONCE                  -                                  10 min
    staff account        STAFF#<username>         STAFF                  STAFF / <username>
    console session      SSN#<sha256 of its id>   SSN                    -                                  at expiry
    sign-in tries        SIGNIN#<sha256 of name>  SIGNIN                 -                                  1 day
    audit entry          AUDIT#<yyyy-mm>          <at>#<random>          -                                  (kept)
    backend key          BKEY#<key_id>            BKEY                   BKEY / <created_at>#<key_id>

Access patterns:
- citizen by ID number: get ``IDH#`` → citizen id → get ``CIT#``/``CIT`` (bind, licences).
- citizen's bindings: query ``pk = CIT#id`` and ``sk begins_with BIND#`` (``GET /v1/me``).
- citizen by phone: query gsi1 ``PHONE#…`` (inbound SMS).
- account → citizen: get ``ACC#…``/``ACC`` (every authenticated request).
- accounts of one unionid: query gsi1 ``UNION#…`` (linking OA and mini accounts).
- own applications newest first: query gsi1 ``CIT#id``, ``begins_with APP#``, descending.
- application by number, rating (stored on it), idempotent creation: get/put ``APP#``/``IDEM#``.
- licences of a citizen: query gsi1 ``IDH#hash`` (a licence may predate the citizen's binding).
- licences expiring on a day: query gsi2 ``EXP#yyyy-mm-dd`` (expiry reminders, no scan).
- cases / complaints by status, oldest due first: query gsi1 ``CASES#status`` / ``CMPS#status``.
- notices of an application: query gsi1 ``NTCAPP#no``.
- staff accounts by username, a page at a time: query gsi1 ``STAFF``, ``gsi1sk > cursor``.
- backend keys newest first, a page at a time: query gsi1 ``BKEY``, ``gsi1sk < cursor``, descending.
- the audit log of a month, newest first: query ``AUDIT#yyyy-mm``, descending, ``sk < cursor``.

Races are settled by conditional writes: creation with ``attribute_not_exists(pk)``,
transitions with ``#status = :expected``, one rating with ``attribute_not_exists(rating)``,
OTP tries with ``tries < :max``, idempotency keys and application numbers by transactions.
"""
