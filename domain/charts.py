"""Progress by area as a chart drawn on the server: the geometry of an SVG of stacked
bars, one bar per area, its statuses told apart by pattern and by the numbers written
on it, never by colour alone. The template draws what this computes; no JavaScript.

The chart is narrow (a phone's width in SVG units) so that its text stays legible when
it is shown at 360 px; a wider screen shows it beside the table of the same figures.
"""
import textwrap
from dataclasses import dataclass, field

from .plans import NO_STATUS, OTHER_STATUS
from .status import AT_RISK, BEHIND, COMPLETE, NOT_STARTED, ON_TRACK

WIDTH = 300  # SVG units, about a phone's CSS pixels: the text keeps its size there
BAR = 26  # a bar's height
LABEL = 20  # a line of the area's name above its bar (14 units, bold)
COUNTS = 17  # a line of the counts written under the bar (12 units)
LABEL_CHARS = 32  # what fits on a line of WIDTH at those sizes; longer text wraps
COUNTS_CHARS = 44
GAP = 14
LEGEND_LINE = 22
MIN_NUMBER_WIDTH = 18  # a segment narrower than this has its number only in the line below

# Each status's pattern (defined once in the SVG) and the word used for it on the chart.
PATTERNS = {
    BEHIND: "p-behind",  # cross-hatch on red
    AT_RISK: "p-at-risk",  # dots on amber
    ON_TRACK: "p-on-track",  # diagonal stripes on green
    COMPLETE: "p-complete",  # solid blue
    NOT_STARTED: "p-not-started",  # white, outlined
    NO_STATUS: "p-none",
    OTHER_STATUS: "p-other",
}


@dataclass
class Segment:
    status: str
    count: int
    x: float
    width: float
    pattern: str

    @property
    def number_fits(self):
        return self.width >= MIN_NUMBER_WIDTH

    @property
    def middle(self):
        return round(self.x + self.width / 2, 1)


@dataclass
class Bar:
    area: str
    total: int
    y: int  # top of the area's label lines
    segments: list = field(default_factory=list)

    @property
    def label_lines(self):
        """The area's name and its total, wrapped to the chart's width: [(text, y)]."""
        text = f"{self.area} ({self.total} row{'s' if self.total != 1 else ''})"
        return [(line, self.y + 15 + i * LABEL) for i, line in enumerate(textwrap.wrap(text, LABEL_CHARS))]

    @property
    def bar_y(self):
        return self.y + len(self.label_lines) * LABEL

    @property
    def counts_text(self):
        """The bar's figures in words: "1 Behind, 1 On track"."""
        return ", ".join(f"{s.count} {s.status}" for s in self.segments)

    @property
    def counts_lines(self):
        """The figures under the bar, wrapped: [(text, y)]."""
        return [(line, self.bar_y + BAR + COUNTS - 3 + i * COUNTS)
                for i, line in enumerate(textwrap.wrap(self.counts_text, COUNTS_CHARS))]

    @property
    def height(self):
        return len(self.label_lines) * LABEL + BAR + len(self.counts_lines) * COUNTS


@dataclass
class Chart:
    bars: list
    statuses: list  # the statuses in the legend, in the order of the bars' segments
    width: int = WIDTH
    height: int = 0
    legend_y: int = 0

    @property
    def description(self):
        """The chart in one sentence per area, for a screen reader (its <desc>)."""
        return " ".join(f"{b.area}: {b.total} row{'s' if b.total != 1 else ''}, {b.counts_text}." for b in self.bars)

    @property
    def legend(self):
        """[(status, pattern, x, y)]: two keys to a line."""
        return [(status, PATTERNS.get(status, "p-other"), (i % 2) * (WIDTH // 2),
                 self.legend_y + (i // 2) * LEGEND_LINE) for i, status in enumerate(self.statuses)]


def progress_chart(progress, columns):
    """The chart of ``progress`` ([(area, {status: count})]) with the statuses of
    ``columns`` in that order (Behind first reads best: put it first)."""
    bars, y = [], 0
    for area, counts in progress:
        total = sum(counts.get(s, 0) for s in columns)
        bar = Bar(area, total, y)
        x = 0.0
        for status in columns:
            n = counts.get(status, 0)
            if not n:
                continue
            width = WIDTH * n / total
            bar.segments.append(Segment(status, n, round(x, 1), round(width, 1), PATTERNS.get(status, "p-other")))
            x += width
        bars.append(bar)
        y += bar.height + GAP
    used = [s for s in columns if any(seg.status == s for b in bars for seg in b.segments)]
    chart = Chart(bars, used, legend_y=y + 6)
    chart.height = chart.legend_y + ((len(used) + 1) // 2) * LEGEND_LINE
    return chart
