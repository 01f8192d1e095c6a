"""The JupyterHub launch button (_config.yml's launch_buttons.jupyterhub_url, nbgitpuller).

The site is built with the address empty (no button); a university sets its own. These tests check that the
configured address is empty or well formed, and build a one-notebook book with an address set to check the
button's link as sphinx-book-theme writes it.
"""
import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
HUB = "https://hub.example.edu"


def well_formed_hub(url):
    """'' when `url` is a usable hub address, else what is wrong with it."""
    parts = urlparse(url)
    if parts.scheme != "https" or not parts.netloc:
        return "an https:// address with a host, e.g. https://hub.example.edu"
    if parts.query or parts.fragment or parts.path.rstrip("/").endswith("/hub"):
        return "the hub's root address: no query, no fragment, no trailing /hub"
    return ""


def test_the_configured_hub_address_is_empty_or_well_formed():
    url = CONFIG["launch_buttons"].get("jupyterhub_url", None)
    assert url is not None, "_config.yml's launch_buttons has no jupyterhub_url (empty means no button)"
    assert url == "" or well_formed_hub(url) == "", f"jupyterhub_url {url!r}: {well_formed_hub(url)}"


@pytest.mark.parametrize("bad", ["hub.example.edu", "http://hub.example.edu", "https://hub.example.edu/hub",
                                 "https://hub.example.edu/?next=x", "https://"])
def test_the_address_check_rejects_what_would_make_a_broken_button(bad):
    assert well_formed_hub(bad) != ""
    assert well_formed_hub(HUB) == "" and well_formed_hub(HUB + "/") == ""


def test_a_book_with_a_hub_address_gets_a_jupyterhub_button_that_pulls_this_repository(tmp_path):
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    notebook = {"cells": [{"cell_type": "markdown", "id": "a", "metadata": {}, "source": ["# A notebook\n"]},
                          {"cell_type": "code", "id": "b", "execution_count": 1, "metadata": {},
                           "outputs": [], "source": ["1 + 1"]}],
                "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
                "nbformat": 4, "nbformat_minor": 5}
    (book / "chapters/one.ipynb").write_text(json.dumps(notebook))
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapters/one\n")
    config = {key: CONFIG[key] for key in ("title", "repository", "launch_buttons", "html")}
    config["launch_buttons"] = {**CONFIG["launch_buttons"], "jupyterhub_url": HUB}
    config["execute"] = {"execute_notebooks": "off"}
    (book / "_config.yml").write_text(yaml.safe_dump(config))
    jupyter_book = shutil.which("jupyter-book", path=str(Path(sys.executable).parent))
    run = subprocess.run([jupyter_book, "build", str(book), "--quiet"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    page = BeautifulSoup((book / "_build/html/chapters/one.html").read_text(), "html.parser")
    links = [a["href"] for a in page.find_all("a", href=True) if a["href"].startswith(HUB)]
    assert len(links) == 1, f"no single JupyterHub button: {links}"
    url = urlparse(links[0])
    assert url.path == "/hub/user-redirect/git-pull"
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    repo = CONFIG["repository"]["url"]
    assert query == {"repo": repo, "branch": CONFIG["repository"]["branch"],
                     "urlpath": f"lab/tree/{urlparse(repo).path.rstrip('/').split('/')[-1]}/chapters/one.ipynb"}
