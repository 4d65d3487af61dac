"""Reply quality (答复质量): a score from 0 to 100 for every official reply, with its parts and
flags, measured against the message it answers (parts.py) and against every other reply
(templates.py: a text sent to unrelated messages is a template).

score = 100 × (0.40 relevance + 0.25 completeness + 0.20 interpretability + 0.15 timeliness),
timeliness counting as 1 where there are no times, then held down by the flags: a boilerplate
reply scores at most 20, an evasive one or one without any result at most 35.

Flags:
- ``boilerplate``: the text went to ``template_twins`` or more messages unlike this one, or it
  takes up nothing of the message's matter and is short or made of receipt and hand-over
  formulas;
- ``evasion`` (推诿): it passes the matter on (not ours; ask, apply or sue elsewhere) and says
  nothing of its own (no result, little of the matter);
- ``no_result``: no result, decision or answer is stated;
- ``off_topic`` (答非所问): a reply of substance, with a result, that takes up almost nothing
  of the matter and speaks of a matter the message does not name.

The thresholds (``Thresholds``) were chosen on the development set (dev.py) and are measured
on folds held back from the choice (tests/analytics/replies/).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from analytics.replies.parts import Parts, measure
from analytics.replies.templates import TemplateIndex, signature

__all__ = ["MODEL_VERSION", "Quality", "TemplateIndex", "Thresholds", "judge", "score_reply",
           "signature"]  # fmt: skip

MODEL_VERSION = "replies-1"
#: A reply scoring under this is poor: what the reports count as such.
POOR_BELOW = 40
WEIGHTS = {"relevance": 0.40, "completeness": 0.25, "interpretability": 0.20, "timeliness": 0.15}
FLAG_CAPS = {"boilerplate": 20, "evasion": 35, "no_result": 35}


@dataclass(frozen=True)
class Thresholds:
    """Where each flag starts: those ``dev.choose`` picks on the whole development set (a test
    keeps them so); the tests measure that choice on folds held back from it."""

    template_twins: int = 3  # other unrelated messages that got the same text
    generic_relevance: float = 0.0  # at most this much of the matter taken up...
    generic_receipt: float = 0.2  # ...by a reply at least this much formulas...
    generic_length: int = 60  # ...or this short
    evasive_relevance: float = 0.5
    evasive_length: int = 100
    result_length: int = 100  # a reply this long without a result phrase still answers...
    result_receipt: float = 0.2  # ...unless this much of it is formulas
    off_topic_relevance: float = 0.05
    off_topic_length: int = 300


@dataclass(frozen=True)
class Quality:
    score: int
    relevance: float
    completeness: float
    interpretability: float
    timeliness: float | None
    boilerplate: bool
    evasion: bool
    no_result: bool
    off_topic: bool
    model: str = MODEL_VERSION

    def flags(self) -> list[str]:
        return [name for name in ("boilerplate", "evasion", "no_result", "off_topic")
                if getattr(self, name)]  # fmt: skip

    def as_dict(self) -> dict:
        return asdict(self)


def judge(parts: Parts, twins: int, thresholds: Thresholds = Thresholds()) -> Quality:
    """The score and flags of a reply whose measures are ``parts`` and whose text went to
    ``twins`` unrelated messages besides this one."""
    t = thresholds
    generic = parts.relevance <= t.generic_relevance and (
        (parts.receipt_share >= t.generic_receipt and not parts.result)
        or parts.length < t.generic_length
    )
    boilerplate = twins >= t.template_twins or parts.length < 6 or generic
    no_result = not parts.result and (parts.length < t.result_length or parts.receipt_share
                                      >= t.result_receipt)  # fmt: skip
    evasion = (parts.passed_on and not parts.result and parts.relevance < t.evasive_relevance
               and parts.length < t.evasive_length)  # fmt: skip
    unrelated = max(parts.relevance, parts.echo) <= t.off_topic_relevance
    off_topic = (unrelated and parts.length >= t.off_topic_length and parts.result
                 and not boilerplate)  # fmt: skip
    timeliness = 1.0 if parts.timeliness is None else parts.timeliness
    raw = 100 * (
        WEIGHTS["relevance"] * parts.relevance
        + WEIGHTS["completeness"] * parts.completeness
        + WEIGHTS["interpretability"] * parts.interpretability
        + WEIGHTS["timeliness"] * timeliness
    )
    flags = {"boilerplate": boilerplate, "evasion": evasion, "no_result": no_result}
    for name, cap in FLAG_CAPS.items():
        if flags[name]:
            raw = min(raw, cap)
    return Quality(
        score=round(raw),
        relevance=round(parts.relevance, 3),
        completeness=round(parts.completeness, 3),
        interpretability=round(parts.interpretability, 3),
        timeliness=None if parts.timeliness is None else round(parts.timeliness, 3),
        boilerplate=boilerplate,
        evasion=evasion,
        no_result=no_result,
        off_topic=off_topic,
    )


def score_reply(
    title: str | None,
    content: str | None,
    reply: str,
    *,
    working_days: int | None = None,
    limit: int = 5,
    twins: int = 0,
    thresholds: Thresholds = Thresholds(),
) -> Quality:
    """A reply's quality: its parts measured against the message, its flags, its score."""
    return judge(measure(title, content, reply, working_days, limit), twins, thresholds)
