"""Print (and write to _build/budgets/chapters.md) each chapter's execution time and peak memory as
measured by chapters/conftest.py during `make test`'s nbval run."""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "_build" / "budgets" / "nbval"


def main():
    records = [json.loads(p.read_text()) for p in sorted(RECORDS.glob("*.json"))]
    if not records:
        sys.exit(f"no budget records in {RECORDS}: run the chapters with pytest --nbval first")
    lines = ["| chapter | seconds (budget 60) | peak MB (budget 1536) |", "|---|---:|---:|"]
    lines += [f"| {r['chapter']} | {r['seconds']:.1f} | {r['peak_mb'] if r['peak_mb'] is not None else 'n/a'} |" for r in records]
    table = "\n".join(lines) + "\n"
    (RECORDS.parent / "chapters.md").write_text(table)
    print(table, end="")


if __name__ == "__main__":
    main()
