"""Point every notebook's setup cell at the repository named in _config.yml.

Forks change `repository.url` in _config.yml and run `make retarget`; the setup
cells (tagged "setup") of the chapters and exercise masters, and the autograder's
requirements, then install the package from the fork. tests/test_notebooks.py
fails while any of them disagrees.
"""
import re
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
GIT_URL = re.compile(r"git\+https://[^\"']+")


def repository_url():
    return yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"].rstrip("/")


def notebooks():
    return sorted(p for d in ("chapters", "exercises") for p in (ROOT / d).rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


def main():
    url = repository_url()
    for path in notebooks():
        nb = nbformat.read(path, as_version=4)
        changed = False
        for cell in nb.cells:
            new = GIT_URL.sub(f"git+{url}", cell.source)
            changed |= new != cell.source
            cell.source = new
        if changed:
            nbformat.write(nb, path)
            print(f"{path.relative_to(ROOT)}: setup cell now installs from {url}")
    requirements = ROOT / "exercises" / "masters" / "requirements.txt"
    text = requirements.read_text()
    if GIT_URL.sub(f"git+{url}", text) != text:
        requirements.write_text(GIT_URL.sub(f"git+{url}", text))
        print(f"{requirements.relative_to(ROOT)}: the autograder installs the package from {url}")
    print("now run `make exercises` to rebuild the student notebooks from the masters")


if __name__ == "__main__":
    main()
