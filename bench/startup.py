"""Start-up: `claimcheck sentences sample_articles/ -f json` (start-up and parsing, no model) against a
naive 17-line rapidfuzz script over the same files, wall time of fresh processes, medians of N runs,
interleaved so machine load hits both alike. Prints the ratio (target <= 3x) and, with --importtime,
the slowest imports of `import claimcheck.cli`.

    python bench/startup.py [--runs 7] [--importtime]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The baseline a newcomer might write in five minutes: read, split, compare, print JSON (17 lines).
NAIVE = '''\
import json, re, sys
from pathlib import Path
from rapidfuzz import fuzz
docs = {}
for path in sorted(Path(sys.argv[1]).iterdir()):
    text = path.read_text(encoding="utf-8", errors="replace")
    docs[path.stem] = [s.strip() for s in re.split(r"(?<=[.!?])\\s+", text) if len(s.split()) >= 4]
pairs = []
names = sorted(docs)
for i, a in enumerate(names):
    for b in names[i + 1:]:
        for s in docs[a]:
            for t in docs[b]:
                if fuzz.token_set_ratio(s, t) >= 80:
                    pairs.append({"a": a, "b": b, "text": s})
report = {"sources": {k: len(v) for k, v in docs.items()}, "pairs": pairs}
json.dump(report, sys.stdout)
'''


def _wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--importtime", action="store_true", help="also list the slowest imports of claimcheck.cli")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "naive.py"
        script.write_text(NAIVE, encoding="utf-8")
        assert len(NAIVE.splitlines()) == 17
        naive = [sys.executable, str(script), "sample_articles"]
        ours = [sys.executable, "-m", "claimcheck", "sentences", "sample_articles/", "-f", "json"]
        _wall(naive), _wall(ours)  # warm the file cache
        times: dict[str, list[float]] = {"naive": [], "claimcheck": []}
        for _ in range(args.runs):
            times["naive"].append(_wall(naive))
            times["claimcheck"].append(_wall(ours))
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"naive rapidfuzz script: median {med['naive']:.3f} s of {args.runs} "
          f"(min {min(times['naive']):.3f}, max {max(times['naive']):.3f})")
    print(f"claimcheck sentences -f json: median {med['claimcheck']:.3f} s of {args.runs} "
          f"(min {min(times['claimcheck']):.3f}, max {max(times['claimcheck']):.3f})")
    print(f"ratio: {med['claimcheck'] / med['naive']:.2f}x (target <= 3x)")
    if args.importtime:
        out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import claimcheck.cli"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stderr.splitlines()
        rows = [line.split("|") for line in out if line.startswith("import time:") and "cumulative" not in line]
        rows = [(int(r[1]), r[2].rstrip()) for r in rows]
        total = next(us for us, name in rows if name.strip() == "claimcheck.cli")
        print(f"import claimcheck.cli: {total / 1000:.0f} ms cumulative; slowest:")
        for us, name in sorted(rows, reverse=True)[1:13]:
            print(f"  {us / 1000:7.1f} ms {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
