"""The NLP packages' data, read where pip put them."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_jieba_loads_without_pkg_resources_and_leaves_it_importable():
    # In a fresh interpreter: this one may hold pkg_resources already.
    # setuptools 81 and later ship no pkg_resources: then it stays as absent as it was.
    code = (
        "import importlib.util, sys\n"
        "installed = importlib.util.find_spec('pkg_resources') is not None\n"
        "from analytics.package_data import import_jieba\n"
        "jieba = import_jieba()\n"
        "print('pkg_resources' in sys.modules, jieba.lcut('南昌市'))\n"
        "if installed:\n"
        "    import pkg_resources\n"
    )
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("False [")
