"""Figures of 智能问答 for ``make bench``: accuracy on the question sets, answer latency, index cost.

``questions/questions.jsonl`` (170 colloquial questions, each with the item or items that answer it) is
the set the synonym table was written against; ``questions/held_out.jsonl`` (60, written separately
and never tuned on) shows how that carries over; ``questions/off_topic.txt`` must all go unanswered.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from shared.approval.builtin import BuiltinApprovalBackend
from shared.services.answers import CONFIDENT, AnswerService

QUESTIONS = Path(__file__).with_name("questions")


@dataclass(frozen=True)
class Accuracy:
    """How often the right item comes first, or among the first three."""

    questions: int
    top1: int
    top3: int


def question_set(name: str) -> list[tuple[str, set[str]]]:
    """(question, the codes that answer it) from a JSON-lines set."""
    rows = [json.loads(line) for line in (QUESTIONS / name).read_text(encoding="utf-8").splitlines() if line]
    return [(r["q"], set(r["items"])) for r in rows]


def accuracy(service: AnswerService, rows: list[tuple[str, set[str]]]) -> Accuracy:
    """Top-1 and top-3 hits of the ranking (no confidence floor) on a question set."""
    top1 = top3 = 0
    for question, right in rows:
        codes = [m.item.code for m in service.matches(question, floor=0.0, limit=3)]
        top1 += bool(codes) and codes[0] in right
        top3 += any(c in right for c in codes)
    return Accuracy(len(rows), top1, top3)


def chat_answers(service: AnswerService, rows: list[tuple[str, set[str]]]) -> tuple[int, int]:
    """(questions the OA and SMS answer with an item, those whose item is wrong): what a citizen is told."""
    answered = wrong = 0
    for question, right in rows:
        found = service.matches(question, CONFIDENT, 1)
        answered += bool(found)
        wrong += bool(found) and found[0].item.code not in right
    return answered, wrong


def off_topic_answered(service: AnswerService) -> tuple[int, int]:
    """(off-topic questions the chat channels would answer with an item, all of them): target 0."""
    lines = [q for q in (QUESTIONS / "off_topic.txt").read_text(encoding="utf-8").splitlines() if q.strip()]
    return sum(bool(service.matches(q, CONFIDENT, 1)) for q in lines), len(lines)


def index_build_ms() -> float:
    """What the first question pays to build the index (the cold start itself pays nothing: it is lazy)."""
    firsts, laters = [], []
    for _ in range(5):
        service = AnswerService(BuiltinApprovalBackend())
        t = time.perf_counter()
        service.matches("孩子刚出生怎么上户口")
        firsts.append(time.perf_counter() - t)
        t = time.perf_counter()
        service.matches("孩子刚出生怎么上户口")
        laters.append(time.perf_counter() - t)
    return (statistics.median(firsts) - statistics.median(laters)) * 1000


def index_bytes() -> int:
    """Bytes the answering package adds to the deployment (code and synonym table, before zipping)."""
    package = Path(__file__).resolve().parents[2] / "shared" / "answering"
    return sum(p.stat().st_size for p in package.iterdir() if p.suffix in {".py", ".json"})


def latency(rows: list[tuple[str, set[str]]]) -> tuple[float, float, float]:
    """Median server time (s) of ``GET /v1/answers`` over the set and of ``GET /v1/items`` (the floor: the
    same request path, the whole catalogue listed, no ranking), through the app in-process; and answers' p95."""
    import urllib.parse

    import boto3
    from chalice.test import Client
    from moto import mock_aws

    from functions.bootstrap import bootstrap, install
    from shared.config import Settings

    answers, floor = [], []
    with mock_aws():
        session = boto3.session.Session(region_name="cn-north-1")
        settings = Settings(session_key="k" * 32, backend_hmac_key="h", id_pepper="p", table="bench")
        install(bootstrap(settings, session=session, sms=object(), queue=object()))  # type: ignore[arg-type]
        from app import app

        with Client(app) as client:
            for question, _ in rows * 2:
                t = time.perf_counter()
                client.http.get("/v1/items")
                floor.append(time.perf_counter() - t)
                t = time.perf_counter()
                out = client.http.get("/v1/answers?" + urllib.parse.urlencode({"q": question}))
                answers.append(time.perf_counter() - t)
                assert out.status_code == 200, out.body
        install(None)
    p95 = sorted(answers)[int(len(answers) * 0.95)]
    return statistics.median(answers), statistics.median(floor), p95
