"""Print (and write to _build/budgets/chapters.md) each chapter's execution time and peak memory as
measured by chapters/conftest.py during `make test`'s nbval run."""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "_build" / "budgets" / "nbval"
BUDGET_SECONDS = 60  # the course's budget; make test may enforce a higher ceiling (see the Makefile)


def main():
    records = [json.loads(p.read_text()) for p in sorted(RECORDS.glob("*.json"))]
    if not records:
        sys.exit(f"no budget records in {RECORDS}: run the chapters with pytest --nbval first")
    lines = ["| chapter | seconds (budget 60) | peak MB (budget 1536) |", "|---|---:|---:|"]
    lines += [f"| {r['chapter']} | {r['seconds']:.1f}{' (over)' if r['seconds'] > BUDGET_SECONDS else ''} | "
              f"{r['peak_mb'] if r['peak_mb'] is not None else 'n/a'} |" for r in records]
    over = [r["chapter"] for r in records if r["seconds"] > BUDGET_SECONDS]
    table = "\n".join(lines) + "\n"
    if over:
        table += f"*** over the {BUDGET_SECONDS} s chapter budget: {', '.join(over)} ***\n"
    (RECORDS.parent / "chapters.md").write_text(table)
    print(table, end="")


if __name__ == "__main__":
    main()
