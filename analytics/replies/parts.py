"""What a reply holds, measured against its message: the four parts of its score, each from 0
to 1, and the signs its flags are read from.

- relevance: the share of the message's matter (its words, the title's twice) that the reply
  takes up: a reply that speaks of another matter, or of none, takes up little.
- completeness: a result or decision, the action taken or planned, the rule it rests on, a
  contact or next step, a courteous form: each found by the phrases officials write them with.
- interpretability: what a citizen can hold the office to (dates, amounts, offices, numbered
  steps) against the vague formulas (有关部门, 研究, 适时), per hundred characters.
- timeliness: working days from the message to the reply against its time limit: 1 within
  it, falling to 0 at three times it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from analytics.package_data import snownlp_stop_words
from analytics.words import SHIPPED_DICTIONARY, segmenter

_SPACE = re.compile(r"\s+")
#: The reply's frame, not its content: the greeting to the citizen and the closing date.
_GREETING = re.compile(
    r"^[^，,。！!：:]{0,30}?(?:网友|市民|先生|女士|同志|您|你)[^，,。！!：:]{0,20}?(?:好|：|:)[！!，,：:]?"
)
_SIGNATURE_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")


def _either(*parts: str) -> re.Pattern:
    return re.compile("|".join(parts))


#: A result or decision: what was found, done or decided (已经答复 is no result: it points
#: elsewhere).
RESULT = _either(
    "经(?:查|核|调查|核实|核查|了解|研究|现场|实地|走访)",
    "调查(?:核实)?(?:情况|结果)|核实(?:情况|结果)|情况(?:属实|不属实|如下)|(?:不|并)?属实",
    "处理(?:结果|意见|情况)|(?:答复|回复)如下",
    "已(?:于|经(?!答复|回复|转|收)|完成|整改|修复|拆除|清理|安排|落实|解决|处理|办理|下达|责令|恢复|"
    "开通|启动|发放|纳入|批复|立案|查处|处罚|取缔|关停|到位|竣工|铺设|更换|安装|补发|支付|退还)",
    "(?:符合|不符合|不具备|具备)(?:条件|规定|要求)?|可以(?:办理|申请|享受)|不(?:能|予|可)(?:办理|受理|支持)",
)
ACTION = _either(
    "(?:将|拟|计划|预计|准备|正在|即将|着手|争取)(?:于|在|对|进行|组织|安排|开展|实施|启动|完成|"
    "加快|加强|协调|督促|推进|纳入|解决|处理)",
    "责成|责令|督促|要求.{0,12}(?:整改|落实|处理)|已安排|限期",
)
BASIS = _either(
    r"《[^》]{2,40}》|根据|依据|按照.{0,30}(?:规定|要求|标准|办法|政策)",
    r"第[一二三四五六七八九十百\d]+条|有关规定|相关规定|政策规定",
)
CONTACT = _either(
    r"(?:联系|咨询|举报|服务|监督)电话|电话[:：]?\s*[\d（(]|联系人|联系方式",
    r"可(?:向|到|与|至|拨打|致电)|地址[:：]|办公地点|窗口|\d{3,4}[-－]\d{7,8}",
)
COURTESY = re.compile("您好|你好|感谢|谢谢|理解|支持|关心|监督")
#: What can be held to: a date (not the signature's), a deadline, an amount, a number of
#: things, an office, a numbered point.
SPECIFIC = _either(
    r"\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}\s*年\s*\d{1,2}\s*月",
    r"\d+\s*(?:个)?(?:工作日|天|日内|月内|年底|月底)",
    r"\d+(?:\.\d+)?\s*(?:万?元|平方米|米|公里|千米|户|人|名|辆|处|个|台|盏|座|栋|套|所|家|吨|亩|%)",
    r"[\u4e00-\u9fff]{2,10}(?:局|委员会|委|办公室|办|中心|大队|中队|支队|所|站|街道|镇政府|管委会|公司)",
    r"(?:^|[。；;：:\s])(?:[一二三四五六七八九十]+、|\d+[、.．)）])",
)
VAGUE = re.compile(
    "有关部门|相关部门|相关单位|有关单位|研究|适时|尽快|进一步|高度重视|积极(?:协调|争取|推进)|"
    "统筹考虑|综合考虑|逐步|择机|另行|视情况"
)
#: Handing the matter to another office: 已转县教育局, 已转交至…调查办复.
TRANSFER = re.compile(
    "已?(?:转|转交|转至|转办至?|移交|转送|交由|转给)(?:给|至|到)?[^，。！；]{0,24}?"
    "(?:(?:调查|核实|处理|办理|核处|办复|答复|回复|处置|研究)+|(?=[，。！；]|$))"
)
#: Receipt and hand-over formulas, and pointers to an answer given elsewhere: a reply made of
#: these says nothing of the matter.
RECEIPT = _either(
    "(?:留言|来信|信件|问题|诉求|事情|帖子|网帖|来帖|建议|意见)(?:我[局镇办委县市])?(?:已)?(?:收悉|收到)|已?收悉",
    "(?:您|你)(?:所|在[^，。]{0,16})?(?:反映|提出|咨询)的(?:问题|情况|事情|建议|意见)",
    TRANSFER.pattern,
    "敬请(?:关注|留意|等待)|请(?:您)?耐心等待|(?:将|会)?(?:及时|尽快)(?:回复|答复|反馈)",
    "(?:相关部门|[^，。]{0,12}(?:局|委|办))?已(?:经)?(?:答复|回复)(?:[，,。]?链接[:：]?\\S*)?",
    "感谢[^。！]{0,24}(?:关注|支持|关心|监督|问政|留言|来信)|谢谢|现(?:将有关情况)?(?:回复|答复)如下[:：]?",
)
#: Passing the matter on: not ours, ask elsewhere, go to court.
NOT_OURS = _either(
    "不(?:属于|在)(?:本|我)(?:单位|局|部门|委|办|中心|镇|街道|院|厅|所|县|市|区)?(?:的)?"
    "(?:职责|职能|管辖|受理|业务|权限)",
    "非(?:本|我)(?:单位|局|部门)(?:职责|职能|管辖)|超出(?:本|我)(?:单位|局|部门)?(?:的)?(?:职责|职能|管辖)",
)
ELSEWHERE = _either(
    "建议(?:您|你)?(?:向|到|与|咨询|通过|拨打|依法|直接|自行|前往|携带|联系|走)",
    "请(?:您|你)?(?:向|到|与|直接|自行|前往|通过|拨打)[^。]{0,30}(?:咨询|反映|办理|联系|申请|投诉|起诉|解决|电话)",
    "(?:法律|司法|诉讼|仲裁)(?:途径|程序|渠道)|向(?:人民)?法院(?:提起)?(?:起诉|诉讼)|申请(?:劳动)?仲裁",
)


@dataclass(frozen=True)
class Parts:
    """A reply's measures against its message, each 0-1 but ``length``."""

    relevance: float
    echo: float  # the other way: the share of the reply's matter that the message names
    completeness: float
    interpretability: float
    timeliness: float | None  # None: no times to count
    length: int  # characters of content, frame left out
    receipt_share: float  # of the content, the share that is receipt and hand-over formulas
    result: bool
    passed_on: bool  # not ours, or go elsewhere, as the answer
    transferred: bool


def plain(text: str | None) -> str:
    return _SPACE.sub("", text or "")


def content_of(reply: str) -> str:
    """The reply without its frame: the greeting and the closing date."""
    text = _GREETING.sub("", plain(reply), count=1)
    return _SIGNATURE_DATE.sub("", text)


#: Words of the genre, in every message and reply alike: they name no matter.
_GENRE = frozenset(
    "问题 反映 希望 请求 要求 建议 咨询 投诉 举报 政府 相关 部门 领导 您好 你好 我们 他们 你们 "
    "现在 目前 情况 进行 没有 已经 可以 这个 什么 怎么 为什么 如何 是否 能否 谢谢 感谢 关于 "
    "有关 解决 处理 尽快 严重 市民 群众 老百姓 本人 一个 请问".split()
)
_CHINESE = re.compile(r"[\u4e00-\u9fff]+")
#: The words of a message that count for its matter, at most.
MATTER_WORDS = 15


def matter(title: str, content: str) -> list[tuple[str, int]]:
    """The message's matter: its words (jieba, the shipped dictionary, unknown words guessed:
    a 驾校 or a 打鱼机 is the matter), of two characters or more, not stop or genre words,
    the title's counting twice and a word at most three times; the strongest MATTER_WORDS."""
    stop = snownlp_stop_words() | _GENRE
    cut = segmenter(SHIPPED_DICTIONARY).lcut
    weights: Counter[str] = Counter()
    for weight, text in ((2, title), (1, content[:500])):
        found = Counter(w for w in cut(text) if len(w) >= 2 and _CHINESE.fullmatch(w)
                        and w not in stop)  # fmt: skip
        for word, count in found.items():
            weights[word] += weight * min(count, 3)
    return weights.most_common(MATTER_WORDS)


def _taken_up(word: str, reply: str) -> bool:
    """The reply holds the word, or (for three characters or more) its head or tail: 停车位 is
    taken up by 车位."""
    return word in reply or (len(word) >= 3 and (word[-2:] in reply or word[:2] in reply))


def relevance(title: str, content: str, reply: str) -> float:
    """The weighted share of the message's matter that the reply takes up."""
    ranked = matter(plain(title), plain(content))
    reply = plain(reply)
    total = sum(weight for _, weight in ranked)
    return sum(w for word, w in ranked if _taken_up(word, reply)) / total if total else 0.0


def _found(pattern: re.Pattern, text: str) -> bool:
    return pattern.search(text) is not None


def completeness(content: str, reply: str) -> float:
    """Result 0.4, action 0.2, basis 0.15, contact 0.15, courtesy 0.1."""
    return (
        0.4 * _found(RESULT, content)
        + 0.2 * _found(ACTION, content)
        + 0.15 * _found(BASIS, content)
        + 0.15 * _found(CONTACT, content)
        + 0.1 * _found(COURTESY, plain(reply))
    )


def interpretability(content: str) -> float:
    """Specifics against vague formulas, per hundred characters, squashed to 0-1."""
    if not content:
        return 0.0
    specific = len(SPECIFIC.findall(content))
    vague = len(VAGUE.findall(content))
    per_hundred = (specific - 0.5 * vague) * 100 / max(len(content), 100)
    return max(0.0, min(1.0, per_hundred / 3))


def timeliness(working_days: int | None, limit: int) -> float | None:
    if working_days is None:
        return None
    if working_days <= limit:
        return 1.0
    return max(0.0, 1 - (working_days - limit) / (2 * limit))


def _covered(pattern: re.Pattern, text: str) -> int:
    return sum(len(m.group(0)) for m in pattern.finditer(text))


def measure(
    title: str | None, content: str | None, reply: str, working_days: int | None, limit: int
) -> Parts:
    body = content_of(reply)
    short = plain(reply)
    return Parts(
        relevance=relevance(title or "", content or "", body),
        echo=relevance("", body, f"{title or ''}{content or ''}"),
        completeness=completeness(body, short),
        interpretability=interpretability(body),
        timeliness=timeliness(working_days, limit),
        length=len(body),
        receipt_share=min(1.0, _covered(RECEIPT, body) / max(len(body), 1)),
        result=_found(RESULT, body),
        passed_on=_found(NOT_OURS, body) or _found(ELSEWHERE, body),
        transferred=_found(TRANSFER, body),
    )


def log_length(parts: Parts) -> float:
    """Length, as the score reads it: 0 for nothing, 1 at 800 characters and above."""
    return min(1.0, math.log1p(parts.length) / math.log1p(800))
