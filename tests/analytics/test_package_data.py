"""The NLP packages' data, read where pip put them."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_jieba_loads_without_pkg_resources_and_leaves_it_importable():
    # In a fresh interpreter: this one may hold pkg_resources already.
    code = (
        "import sys\n"
        "from analytics.package_data import import_jieba\n"
        "jieba = import_jieba()\n"
        "print('pkg_resources' in sys.modules, jieba.lcut('南昌市'))\n"
        "import pkg_resources\n"
    )
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("False [")
