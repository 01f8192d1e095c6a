"""Write the course's diagrams (course_rnn.diagrams.gallery) to book/_static/diagrams/ as SVG, and the gallery page book/diagrams.md.

    python tools/build_diagrams.py          # (re)write every SVG
    python tools/build_diagrams.py --check  # exit 1 if a committed SVG is missing or stale
"""
import sys
from pathlib import Path

from course_rnn.diagrams import gallery

ROOT = Path(__file__).resolve().parent.parent


def main(argv):
    if "--check" in argv:
        stale = gallery.stale(ROOT)
        if stale:
            print(f"stale diagrams (run python tools/build_diagrams.py and commit): {stale}")
            return 1
        print(f"{len(gallery.DIAGRAMS)} diagrams are current")
        return 0
    for path in gallery.write_all(ROOT):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
