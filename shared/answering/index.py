"""Ranks catalogue items for a free-text question: character bigrams (zh) and words (en), BM25-weighted.

Chinese has no spaces and a county's catalogue is small, so instead of a segmenter and its
multi-MB dictionary the index keys on overlapping two-character grams, the usual n-gram
approach for CJK retrieval (Lucene's CJKBigramFilter,
https://lucene.apache.org/core/9_0_0/analysis/common/org/apache/lucene/analysis/cjk/CJKBigramFilter.html).
Scoring is BM25 (Robertson and Zaragoza, "The Probabilistic Relevance Framework", 2009) over
weighted fields: the name counts most, then the description, then department and materials.
Colloquial words (户口/上户, 小卖部/个体) are expanded from ``synonyms.json`` before scoring.
The index is built on the first question (about 5 ms for 80 items), never at import.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SYNONYMS = Path(__file__).with_name("synonyms.json")
ZH_FIELDS = {"name": 3.0, "description": 1.5, "department": 0.6, "materials": 0.4}
EN_FIELDS = {"name_en": 3.0}
IDF_FIELDS = ("name", "description")
EXPANSION = 2.0  # total weight of the terms one colloquial phrase stands for
UNASKED_ACTION = 0.6
K1, B = 1.2, 0.5  # BM25's usual saturation and a mild length normalisation (fields are short)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")  # CJK Unified Ideographs and Extension A
_WORD = re.compile(r"[a-z0-9]+")


def normalized(text: str) -> str:
    """NFKC (full-width letters and digits to ASCII) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def is_english(text: str) -> bool:
    """A question mostly in Latin letters is answered in English."""
    text = normalized(text)  # full-width letters count as letters
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    return latin > 0 and latin >= 2 * sum(len(run) for run in _CJK.findall(text))


def _stem(word: str) -> str:
    """A crude English stem, enough to meet plurals and -ing/-ed forms of the same word."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True)
class Vocabulary:
    """How questions are cut into terms: fillers dropped, colloquial words expanded."""

    zh: dict[str, list[str]]
    filler_zh: tuple[str, ...]
    en: dict[str, list[str]]
    stop_en: frozenset[str]
    actions_zh: tuple[str, ...]
    actions_en: dict[str, list[str]]

    @classmethod
    def load(cls, path: Path = SYNONYMS) -> Vocabulary:
        """The synonym and filler tables of a data file."""
        data = json.loads(path.read_text(encoding="utf-8"))
        fillers = tuple(sorted(data["filler_zh"], key=len, reverse=True))
        return cls(data["zh"], fillers, data["en"], frozenset(data["stop_en"]), tuple(data["actions_zh"]),
                   data["actions_en"])

    def zh_terms(self, text: str) -> list[str]:
        """Bigrams of each run of Chinese characters (a lone character is its own term)."""
        terms: list[str] = []
        for run in _CJK.findall(text):
            terms.extend([run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)])
        return terms

    def en_terms(self, text: str) -> list[str]:
        """Stemmed words, stop words dropped."""
        return [_stem(w) for w in _WORD.findall(text) if w not in self.stop_en]

    def question_terms(self, question: str) -> tuple[dict[str, float], dict[str, float]]:
        """The zh and en terms of a question with their weights: 1 for what was typed; the words its
        colloquial phrases stand for weigh less the longer they are, so one phrase cannot outweigh the rest."""
        whole = text = compact = normalized(question)
        for filler in self.filler_zh:
            text, compact = text.replace(filler, " "), compact.replace(filler, "")
        extra = [w for phrase, words in self.zh.items() if phrase in whole or phrase in compact for w in words]
        extra_en = [w for word in _WORD.findall(text) for w in self.en.get(word, ())]
        zh = _weighted(self.zh_terms(text), [self.zh_terms(w) for w in extra])
        en = _weighted(self.en_terms(text), [self.en_terms(w) for w in extra_en])
        return zh, en


def _weighted(typed: list[str], expansions: list[list[str]]) -> dict[str, float]:
    """Typed terms weigh 1; an expansion of n terms gives each min(1, EXPANSION / n)."""
    weights: dict[str, float] = {}
    for terms in expansions:
        for term in terms:
            weights[term] = max(weights.get(term, 0.0), min(1.0, EXPANSION / len(terms)))
    for term in typed:
        weights[term] = 1.0
    return weights


class _Field:
    """One field of every document: term counts, lengths and the average length."""

    def __init__(self, docs: list[list[str]]):
        self.counts = [Counter(d) for d in docs]
        self.lengths = [len(d) or 1 for d in docs]
        self.average = sum(self.lengths) / len(self.lengths) if self.lengths else 1.0

    def saturation(self, doc: int, term: str) -> float:
        tf = self.counts[doc].get(term, 0)
        if not tf:
            return 0.0
        norm = 1 - B + B * self.lengths[doc] / self.average
        return tf * (K1 + 1) / (tf + K1 * norm)


class AnswerIndex:
    """Items ranked by BM25 over weighted fields; ``rank`` answers (position, score) best first."""

    def __init__(self, documents: list[dict[str, Any]], vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.size = len(documents)
        self.zh = {f: _Field([self._zh_doc(d.get(f, "")) for d in documents]) for f in ZH_FIELDS}
        self.en = {f: _Field([vocabulary.en_terms(normalized(d.get(f, ""))) for d in documents]) for f in EN_FIELDS}
        self.idf = self._idf([self.zh[f] for f in ZH_FIELDS], [self.zh[f] for f in IDF_FIELDS] + list(self.en.values()))
        self.actions = [[a for a in vocabulary.actions_zh if a in d.get("name", "")] for d in documents]
        self.actions_en = [[words for first, words in vocabulary.actions_en.items()
                            if normalized(d.get("name_en", "")).startswith(first)] for d in documents]

    def _zh_doc(self, value: str | list[str]) -> list[str]:
        parts = value if isinstance(value, list) else [value]
        return [t for p in parts for t in self.vocabulary.zh_terms(normalized(p))]

    def _idf(self, every: Iterable[_Field], telling: Iterable[_Field]) -> dict[str, float]:
        """Document frequency counted in the fields that say what an item is (name, description): nearly
        every item asks for an ID card among its materials, which must not make 身份证 a weak word."""
        def frequencies(fields: Iterable[_Field]) -> dict[str, set[int]]:
            seen: dict[str, set[int]] = {}
            for field in fields:
                for doc, counts in enumerate(field.counts):
                    for term in counts:
                        seen.setdefault(term, set()).add(doc)
            return seen
        df = frequencies(every) | frequencies(telling)
        return {t: math.log(1 + (self.size - len(d) + 0.5) / (len(d) + 0.5)) for t, d in df.items()}

    def rank(self, question: str) -> list[tuple[int, float]]:
        """Every item with a positive score, best first (ties keep catalogue order)."""
        zh, en = self.vocabulary.question_terms(question)
        asked = set(_WORD.findall(normalized(question)))
        scores = [0.0] * self.size
        for terms, fields, weights in ((zh, self.zh, ZH_FIELDS), (en, self.en, EN_FIELDS)):
            for term, weight in terms.items():
                idf = self.idf.get(term)
                if idf is None:
                    continue
                for doc in range(self.size):
                    s = sum(weights[f] * fields[f].saturation(doc, term) for f in fields)
                    if s:
                        scores[doc] += weight * idf * s
        if zh:  # an item named for an action (注销, 补领, 代办…) the question does not ask for ranks lower
            for doc, actions in enumerate(self.actions):
                if actions and not any(a in zh for a in actions):
                    scores[doc] *= UNASKED_ACTION
        elif en:
            for doc, actions in enumerate(self.actions_en):
                if actions and not any(w in asked for words in actions for w in words):
                    scores[doc] *= UNASKED_ACTION
        ranked = sorted(((i, s) for i, s in enumerate(scores) if s > 0), key=lambda p: (-p[1], p[0]))
        return ranked
