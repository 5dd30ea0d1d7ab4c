"""Features plan their pages (and the sitemap lists them) in one order, whatever was imported first."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = """
import sys
for name in sys.argv[1:]:
    __import__(name)
from generator.features import load_features
print(' '.join(f.name for f in load_features()))
"""


def _order(*first: str) -> str:
    return subprocess.run([sys.executable, "-c", SCRIPT, *first], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_feature_order_does_not_follow_import_order():
    usual = _order()
    assert _order("generator.honours", "generator.search") == usual
    assert _order("generator.search", "generator.feeds", "generator.honours") == usual
    assert usual.split()[:2] == ["campaigns", "honours"]
