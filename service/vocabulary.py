"""The domain's closed vocabularies (domain.md), in one place: English codes, Chinese names."""

from __future__ import annotations

#: Where a rating was given: 赣服通 app, web portal, mini-program, hall window,
#: self-service terminal, 12345 hotline.
CHANNELS = ("app", "web", "mini_program", "hall", "kiosk", "hotline")
ONLINE_CHANNELS = frozenset(("app", "web", "mini_program"))

#: Rating sub-indicators, 1–5 each: online (网上) and offline (线下) ones, sharing 整体满意度.
ONLINE_SUB_SCORES = {
    "overall": "整体满意度",
    "efficiency": "办事效率",
    "guide_accuracy": "办事指南精确度",
    "convenience": "办事便捷度",
    "operability": "平台操作性",
}
OFFLINE_SUB_SCORES = {
    "overall": "整体满意度",
    "service_efficiency": "服务效率",
    "service_level": "服务水平",
    "attitude": "服务态度",
}
SUB_SCORES = {**ONLINE_SUB_SCORES, **OFFLINE_SUB_SCORES}

STAR_NAMES = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}

#: Message (诉求) types, and what clients may send for each (case-insensitive).
MESSAGE_TYPES = {
    "consultation": "咨询",
    "help": "求助",
    "complaint": "投诉",
    "report": "举报",
    "suggestion": "建议",
    "praise": "表扬",
}
MESSAGE_TYPE_ALIASES = {
    **{code: code for code in MESSAGE_TYPES},
    **{name: code for code, name in MESSAGE_TYPES.items()},
    "consult": "consultation",
    "inquiry": "consultation",
    "enquiry": "consultation",
    "question": "consultation",
    "request": "help",
    "whistleblowing": "report",
    "tip_off": "report",
    "proposal": "suggestion",
    "compliment": "praise",
    "commendation": "praise",
}

#: Message lifecycle (12345 practice); a new message is accepted (受理).
MESSAGE_STATUSES = {
    "accepted": "受理",
    "dispatched": "转办",
    "in_progress": "办理",
    "replied": "答复",
    "closed": "办结",
}
DIFFICULTIES = {"ordinary": "一般", "difficult": "疑难"}
#: A message's sentiment label; pending until scored (scoring may run in a queue).
SENTIMENTS = {"positive": "正面", "neutral": "中性", "negative": "负面", "pending": "待评分"}
#: The citizen's evaluation of a closed message in follow-up (回访).
EVALUATIONS = {"satisfied": "满意", "basically_satisfied": "基本满意", "unsatisfied": "不满意"}

#: Where a message's region came from.
REGION_GIVEN = "given"
REGION_EXTRACTED = "extracted"
REGION_DEPARTMENT = "department"
REGION_UNKNOWN = "unknown"
REGION_PROVINCE = "province"  # imported, naming no place in Jiangxi: counted at 360000

#: A 差评's rectification case: opened (待核实), verified with the citizen (回访核实), rectified
#: (整改), reported back (反馈); void when an upheld appeal took the rating out.
RECTIFICATION_STATUSES = {
    "open": "待核实",
    "verified": "已核实",
    "rectified": "已整改",
    "reported": "已反馈",
    "void": "已撤销",
}
#: What a spike alert (预警) is about: a theme, or a hot issue.
ALERT_KINDS = {"theme": "主题", "hot_issue": "热点"}
