"""Importing a 12345/问政 history export: real files and their mess, idempotent by id, with
every row accounted for."""

import dataclasses
import errno
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

import analytics.scoring
from service import scoring, store
from service.extensions import db
from service.intake.history_import import DEFAULT_MAP, import_account, import_messages
from service.models import Message
from tests.support import shared_data

SAMPLE = "teddy2020/附件2_sample495.xlsx"


def summary(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


def test_a_real_export_imports_once_whatever_the_runs(runner, client_as):
    sample = str(shared_data(SAMPLE))
    first = runner.invoke(args=["import", "messages", "--input", sample, "--workers", "2"])
    assert summary(first) == {
        "rows": 495, "imported": 494, "duplicates": 1, "rejected": 0, "repeats": 1,
        "replies_judged": 0,
    }  # fmt: skip
    assert "row 312: duplicate of 37042, as row 100" in first.output  # the repeated id
    # The import recounted the days it wrote to: no read after it pays for them.
    assert "recounted" in first.output and store.facts.count_dirty() == 0
    again = runner.invoke(args=["import", "messages", "--input", sample, "--workers", "1"])
    assert summary(again) == {
        "rows": 495,
        "imported": 0,
        "duplicates": 495,
        "rejected": 0,
        "repeats": 0,
        "replies_judged": 0,
    }

    analyst = client_as("analyst")
    page = analyst.get("/api/v1/messages?page_size=100").get_json()
    assert len(page) == 100
    # Their places (A市, K8县) are not in Jiangxi: the province's, placed in themes anyway.
    assert {m["region_code"] for m in page} == {"360000"}
    assert sum(m["theme"]["code"] is not None for m in page) > 50
    figures = analyst.get("/api/v1/kpis?period=year&date=2019-06-01").get_json()["figures"]
    assert figures["messages"] > 0


@pytest.fixture
def messy(tmp_path):
    """Our own columns, each row a case: Excel serial and text times, padding, a place in
    Jiangxi, a reply, a repeated id, and rows that cannot be imported."""
    path = tmp_path / "export.csv"
    path.write_text(
        "编号,标题,内容,时间,回复,回复时间,点赞\n"
        'A1,  路灯坏了 ,"\n\t\t南昌市红谷滩区某小区路灯不亮\n\t",2024/3/5 9:30:00,'
        "已修复,2024-03-07 10:00:00,12\n"
        "A2,垃圾没人清,赣州市章贡区垃圾堆了一周,45356.5,,,\n"
        "A1,路灯坏了,重复的一条,2024/3/5 9:30:00,,,\n"
        "A3,,没有标题,2024/3/6,,,\n"
        "A4,噪音,夜间施工,昨天,,,\n"
        "A5,点赞,数字不对,2024/3/6,,,-3\n"
        "A6,远古,年份太早,0001/1/1 8:00:00,,,\n"
        "A7,未来,回复时间太晚,2024/3/6,已回复,9999/12/31 23:00:00,\n",
        "utf-8",
    )
    return str(path)


MAP = ["--map", "编号=source_id", "--map", "标题=title", "--map", "内容=content",
       "--map", "时间=created_at", "--map", "回复=reply", "--map", "回复时间=replied_at",
       "--map", "点赞=likes"]  # fmt: skip


def test_every_row_is_imported_a_duplicate_or_rejected_with_its_reason(runner, client_as, messy):
    result = runner.invoke(
        args=["import", "messages", "--input", messy, *MAP, "--type", "complaint"]
    )
    assert summary(result) == {
        "rows": 8,
        "imported": 2,
        "duplicates": 1,
        "rejected": 5,
        "repeats": 0,
        "replies_judged": 1,
    }
    assert "row 4: duplicate of A1, as row 2" in result.output
    assert "row 5: rejected: no title" in result.output
    assert "row 6: rejected: not a time: '昨天'" in result.output
    assert "row 7: rejected: not a count: '-3'" in result.output
    assert "row 8: rejected: not a time from 2000 to 2099: '0001/1/1 8:00:00'" in result.output
    assert "row 9: rejected: not a time from 2000 to 2099: '9999/12/31 23:00:00'" in result.output

    messages = client_as("analyst").get("/api/v1/messages").get_json()
    by_title = {m["title"]: m for m in messages}
    lamp = by_title["路灯坏了"]
    assert lamp["region_code"] == "360113" and lamp["status"] == "closed"
    assert lamp["content"] == "南昌市红谷滩区某小区路灯不亮" and lamp["type"] == "complaint"
    assert lamp["created_at"].startswith("2024-03-05T01:30:00")  # 9:30 Beijing time
    assert lamp["closed_at"].startswith("2024-03-07T02:00:00")
    # "已修复": a result, two working days after, but nothing of the matter
    assert lamp["reply_quality"]["timeliness"] == 1 and lamp["reply_quality"]["no_result"] is False
    rubbish = by_title["垃圾没人清"]
    assert rubbish["region_code"] == "360702" and rubbish["status"] == "accepted"
    assert rubbish["created_at"].startswith("2024-03-05T04:00:00")  # serial 45356.5 = noon
    assert rubbish["reply_quality"] is None  # no reply to judge


def test_a_file_without_the_columns_it_needs_is_refused_naming_them(runner, tmp_path):
    path = tmp_path / "bare.csv"
    path.write_text("标题,内容\n路灯坏了,不亮\n", "utf-8")
    result = runner.invoke(args=["import", "messages", "--input", str(path)])
    assert result.exit_code == 2 and "source_id" in result.output and "created_at" in result.output
    wrong = runner.invoke(
        args=["import", "messages", "--input", str(path), "--map", "标题=headline"]
    )
    assert wrong.exit_code == 2 and "headline" in wrong.output


def test_a_like_count_that_is_no_number_rejects_its_row_naming_the_value(runner, tmp_path):
    path = tmp_path / "likes.csv"
    path.write_text(
        "编号,标题,内容,时间,点赞\n"
        "B1,路灯坏了,南昌市红谷滩区某小区路灯不亮,2024/3/5 9:30:00,abc\n"
        "B2,垃圾没人清,赣州市章贡区垃圾堆了一周,2024/3/5 9:30:00,99999999999\n"
        "B3,噪音,夜间施工,2024/3/6,7\n",
        "utf-8",
    )
    args = ["import", "messages", "--input", str(path), *MAP[:8], "--map", "点赞=likes"]
    result = runner.invoke(args=args)
    assert summary(result)["imported"] == 1 and summary(result)["rejected"] == 2
    assert "row 2: rejected: not a count: 'abc'" in result.output
    assert "row 3: rejected: not a count: '99999999999'" in result.output
    assert "could not convert" not in result.output


class Sabotaged:
    """The theme classifier in use, except in another process than the test's (a process of
    the import's scoring pool), which it ends or hangs."""

    def __init__(self, classifier, how: str) -> None:
        self.classifier, self.how, self.home = classifier, how, os.getpid()

    def classify_many(self, messages):
        if os.getpid() != self.home:
            if self.how == "dies":
                os._exit(1)
            time.sleep(3600)
        return self.classifier.classify_many(messages)


def import_pooled(count: int, **options):
    rows = [
        {"留言编号": f"P{n}", "留言主题": f"路灯坏了{n}", "留言时间": "2024-03-05 09:30:00",
         "留言详情": f"南昌市东湖区第{n}盏路灯不亮，晚上很黑，希望尽快修好"}
        for n in range(count)
    ]  # fmt: skip
    mapping = {column: DEFAULT_MAP[column] for column in rows[0]}
    report = import_messages(
        rows, mapping, "suggestion", import_account(), batch_size=40, workers=2, **options
    )
    assert report.imported == count
    stored = db.session.scalars(db.select(Message).order_by(Message.id)).all()
    expected = scoring.current().score_many([(m.title, m.content) for m in stored])
    assert [
        (m.sentiment_score, m.sentiment_label, m.theme_code, m.theme_confidence) for m in stored
    ] == [(text.score, text.label, theme.code, theme.confidence) for text, theme in expected]


@pytest.mark.timeout(120)
def test_an_import_scored_by_its_pool_of_processes_scores_every_row_as_here(app, caplog):
    import_pooled(120)
    assert "scoring processes failed" not in caplog.text  # scored in the pool, not here


@pytest.mark.timeout(120)
@pytest.mark.parametrize("how", ["dies", "hangs"])
def test_an_import_whose_scoring_process_dies_or_hangs_still_scores_every_row(
    app, monkeypatch, caplog, how
):
    real = scoring.current
    monkeypatch.setattr(
        scoring, "current", lambda: dataclasses.replace(
            real(), classifier=Sabotaged(real().classifier, how)
        )
    )  # fmt: skip
    started = time.monotonic()
    import_pooled(120, scoring_wait=3)
    assert "scoring processes failed" in caplog.text
    assert time.monotonic() - started < 60


@pytest.mark.timeout(120)
def test_an_import_whose_scoring_processes_cannot_start_scores_every_row_here(
    app, monkeypatch, caplog
):
    class CannotStart(ProcessPoolExecutor):
        def submit(self, *args, **kwargs):
            raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(analytics.scoring, "ProcessPoolExecutor", CannotStart)
    import_pooled(120)
    assert "scoring processes failed" in caplog.text
