"""Charts drawn on the server as inline SVG (no script, no library, nothing fetched): horizontal bars, each with
its value written beside it, so nothing is told by colour or length alone (WCAG 1.4.1, 1.1.1)."""

from __future__ import annotations

from html import escape

ROW, LABEL, BAR = 30, 230, 320
COLOURS = ("#1d4f91", "#8c1d18")   # both ≥ 3:1 against white (WCAG 1.4.11)


def bar_chart(chart_id: str, title: str, bars: list[tuple[str, float | None, str]], top: float,
              colour: int = 0) -> str:
    """``bars``: (label, value or None, the value as people read it); bars scale to ``top``."""
    height = ROW * max(len(bars), 1) + 10
    rows = []
    for i, (label, value, shown) in enumerate(bars):
        y = i * ROW + 5
        width = 0 if not value or top <= 0 else max(2, round(BAR * min(value, top) / top))
        rows.append(f'<text x="{LABEL - 8}" y="{y + 19}" text-anchor="end">{escape(_clip(label))}</text>'
                    f'<rect x="{LABEL}" y="{y + 4}" width="{width}" height="20" fill="{COLOURS[colour]}">'
                    f"<title>{escape(label)}: {escape(shown)}</title></rect>"
                    f'<text x="{LABEL + width + 6}" y="{y + 19}" class="value">{escape(shown)}</text>')
    return (f'<figure><figcaption id="{chart_id}">{escape(title)}</figcaption>'
            f'<svg viewBox="0 0 {LABEL + BAR + 90} {height}" role="img" aria-labelledby="{chart_id}" '
            f'style="width:100%;max-width:44rem;font-size:13px">{"".join(rows)}</svg></figure>')


def percent(value: float | None, none: str = "—") -> str:
    """A rate as people read it."""
    return none if value is None else f"{value * 100:.1f}%"


def _clip(label: str, limit: int = 16) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"
