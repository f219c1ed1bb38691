"""智能问答: which catalogue items answer a citizen's question, and what to tell them.

The API lists up to five items from ``RELEVANT`` up; the OA and SMS answer with the best (and
the runner-up when it is nearly as good) from ``CONFIDENT`` up, and below it say they did not
understand and give the help text. The thresholds were read off the question sets in
``infra/bench/questions/`` (``make bench`` prints how they fare).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from shared.answering.index import SYNONYMS, AnswerIndex, Vocabulary, is_english
from shared.contract.answers import AnswerList, ServiceAnswer
from shared.contract.records import CatalogueItem
from shared.ports import ApprovalBackend
from shared.texts import Reply

SCALE = 8.0        # raw BM25 score at which confidence is 0.5 (score = raw / (raw + SCALE))
RELEVANT = 0.35    # the API leaves out weaker matches (off-topic questions reach about 0.3)
CONFIDENT = 0.5    # the chat channels answer from here (right answers on the question sets start near 0.6)
RUNNER_UP = 0.8    # the second item is worth a line when its raw score is this close to the best
LIMIT = 5


@dataclass(frozen=True)
class Match:
    """One item for one question: its confidence and the language to answer in."""

    item: CatalogueItem
    raw: float
    english: bool

    @property
    def score(self) -> float:
        """Confidence in 0–1."""
        return round(self.raw / (self.raw + SCALE), 3)

    @property
    def name(self) -> str:
        """The item's name in the question's language."""
        return (self.item.name_en or self.item.name) if self.english else self.item.name

    @property
    def text(self) -> str:
        """What to bring, where, when, what it costs and how long, in one short paragraph."""
        item = self.item
        materials = "、".join(item.materials) or "-"
        if self.english:
            how = "You can also apply online (Minqing's pages, mini-program or Alipay)." if item.online else \
                "Apply in person."
            days = f"{item.promised_days} working day{'' if item.promised_days == 1 else 's'}"
            return (f"{self.name} ({item.name}, {item.department}): bring {materials}; go to {item.location} "
                    f"({item.hours}); fee: {item.fee}; done within {days}. {how}")
        how = "也可在线申办（公众号菜单“办事”、小程序或支付宝城市服务）。" if item.online else "需到现场办理。"
        return (f"{item.name}（{item.department}）：请带{materials}，到{item.location}办理（{item.hours}）；"
                f"{item.fee}；承诺{item.promised_days}个工作日办结。{how}")


class AnswerService:
    """Ranks the catalogue for questions; the index is built on the first question, not at cold start."""

    def __init__(self, approval: ApprovalBackend, synonyms: Path = SYNONYMS):
        self.approval, self.synonyms = approval, synonyms
        self._index: tuple[AnswerIndex, list[CatalogueItem]] | None = None

    def _built(self) -> tuple[AnswerIndex, list[CatalogueItem]]:
        if self._index is None:
            items = self.approval.catalogue()
            self._index = AnswerIndex([i.model_dump() for i in items], Vocabulary.load(self.synonyms)), items
        return self._index

    def matches(self, question: str, floor: float = RELEVANT, limit: int = LIMIT) -> list[Match]:
        """The best items for a question, best first, each at least ``floor`` confident."""
        index, items = self._built()
        english = is_english(question)
        out = [Match(items[doc], raw, english) for doc, raw in index.rank(question)[:limit]]
        return [m for m in out if m.score >= floor]

    def answer_list(self, question: str) -> AnswerList:
        """``GET /v1/answers``."""
        return AnswerList(answers=[ServiceAnswer(item_code=m.item.code, name=m.name, score=m.score, text=m.text)
                                   for m in self.matches(question)])

    def reply(self, question: str, sms: bool) -> Reply:
        """The chat or SMS answer: the best item (and a close runner-up on chat), or not understood and help."""
        found = self.matches(question, CONFIDENT, 2)
        locale = "en" if is_english(question) else "zh-CN"
        if not found:
            return Reply("not_understood_sms" if sms else "not_understood", locale,
                         more=() if sms else (Reply("help", locale),))
        best = found[0]
        if sms:  # SMS goes out on the approved Chinese template, one item per message
            item = best.item
            return Reply("answer_sms", "zh-CN", {"item_name": item.name, "materials": _fitted(item.materials),
                                                 "location": item.location,
                                                 "days": f"承诺{item.promised_days}个工作日办结"})
        close = [m for m in found[1:] if m.raw >= RUNNER_UP * best.raw]
        also = tuple(Reply("answer_also", locale, {"answer": m.text}) for m in close)
        return Reply("answer", locale, {"answer": best.text}, (*also, Reply("answer_end", locale)))


def _fitted(materials: list[str], limit: int = 35) -> str:
    """What to bring, as whole items within an SMS variable's ``limit`` (``等`` when some were left out)."""
    if not materials:
        return "有效身份证件"
    shown: list[str] = []
    for m in materials:
        if len("、".join([*shown, m])) + 1 > limit:
            break
        shown.append(m)
    if not shown:
        return materials[0][: limit - 2] + "等"
    return "、".join(shown) + ("等" if len(shown) < len(materials) else "")
