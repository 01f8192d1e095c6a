"""Point every notebook's setup cell at the repository named in _config.yml.

Forks change `repository.url` in _config.yml and run `make retarget`; the setup
cell (tagged "setup", first in each notebook) then installs the package from the
fork on Colab. tests/test_notebooks.py fails while any setup cell disagrees.
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
        cell = nb.cells[0]
        new = GIT_URL.sub(f"git+{url}", cell.source)
        if new != cell.source:
            cell.source = new
            nbformat.write(nb, path)
            print(f"{path.relative_to(ROOT)}: setup cell now installs from {url}")


if __name__ == "__main__":
    main()
