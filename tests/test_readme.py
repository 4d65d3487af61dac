"""The README's training and evaluation examples run as written: each file they name in
../shared/data has the columns they ask for (they named 一级标签 where a 问政 export has 一级分类,
and a tsv the commands could not read)."""

import re
import shlex
from pathlib import Path

from analytics.tables import read_rows
from tests.support import shared_data

README = Path(__file__).resolve().parents[1] / "README.md"
SHARED = "../shared/data/"


def commands_on_shared_data() -> list[list[str]]:
    """Each ``flask … themes|sentiment train|evaluate --input ../shared/data/…`` of the README,
    its continuation lines joined, as arguments."""
    text = README.read_text("utf-8").replace("\\\n", " ")
    lines = re.findall(r"^flask --app wsgi (?:themes|sentiment) \w+ .*$", text, re.MULTILINE)
    return [shlex.split(line) for line in lines if f"--input {SHARED}" in line]


def option_values(args: list[str], name: str) -> list[str]:
    return [args[i + 1] for i, arg in enumerate(args) if arg == name]


def test_the_readmes_examples_on_the_shared_data_name_columns_their_files_have():
    commands = commands_on_shared_data()
    assert {args[3] for args in commands} == {"themes", "sentiment"}, commands
    for args in commands:
        [path] = option_values(args, "--input")
        columns = (*option_values(args, "--text-column"), *option_values(args, "--label-column"))
        rows = read_rows(
            shared_data(path.removeprefix(SHARED)), columns, header="--no-header" not in args
        )
        first = next(rows)
        assert all(first[column] not in (None, "") for column in columns), (args, first)
