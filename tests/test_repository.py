"""The repository's promises to a newcomer: pinned environment, Binder, quick start, CI entry point."""
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _binder_module():
    spec = importlib.util.spec_from_file_location("binder_requirements", ROOT / "tools/binder_requirements.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lock_pins_every_package_exactly_and_torch_to_the_cpu_build_on_disk():
    pins = [l for l in (ROOT / "requirements/lock.txt").read_text().splitlines() if l and not l.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.+]+", p) for p in pins), "every line must be name==version"
    assert "torch==2.13.0" in pins
    names = {p.split("==")[0].lower() for p in pins}
    assert {"jupyter-book", "myst-nb", "nbval", "pytest", "numpy", "matplotlib", "ipywidgets", "tqdm"} <= names
    assert any(p.startswith("jupyter-book==1.") for p in pins), "jupyter-book must stay below 2 (v2 needs the network)"


def test_binder_requirements_are_the_lock_with_a_cpu_only_torch():
    binder = (ROOT / "binder/requirements.txt").read_text()
    assert binder == _binder_module().binder_requirements((ROOT / "requirements/lock.txt").read_text()), \
        "binder/requirements.txt is stale: run `python tools/binder_requirements.py`"
    assert "torch==2.13.0+cpu" in binder and "whl/cpu" in binder
    assert "pip install --no-deps -e ." in (ROOT / "binder/postBuild").read_text()


def test_installed_versions_match_the_lock():
    from importlib.metadata import version
    pins = dict(l.split("==") for l in (ROOT / "requirements/lock.txt").read_text().splitlines()
                if l and not l.startswith("#"))
    for name in ("numpy", "myst-nb", "nbval", "jupyter-book", "matplotlib"):
        assert version(name) == pins[name], f"{name} {version(name)} is installed but the lock says {pins[name]}"
    assert version("torch").split("+")[0] == pins["torch"]


def test_readme_opens_with_the_two_quick_start_commands():
    readme = (ROOT / "README.md").read_text()
    first_block = re.search(r"```(?:bash|sh)?\n(.*?)```", readme, re.S).group(1)
    assert "make book" in first_block and "make test" in first_block
    for topic in ("Binder", "Colab", "JupyterLab", "Repository layout"):
        assert topic in readme, f"README does not cover {topic}"


def test_ci_runs_exactly_make_test():
    ci = (ROOT / ".ci/run").read_text()
    commands = [l.strip() for l in ci.splitlines() if l.strip() and not l.strip().startswith("#")]
    assert "make test" in commands
    assert commands[-1] == "make test", "make test must be the last thing .ci/run does"
    syntax = subprocess.run(["bash", "-n", str(ROOT / ".ci/run")], capture_output=True, text=True)
    assert syntax.returncode == 0, f".ci/run is not valid bash: {syntax.stderr}"


def test_config_builds_launch_buttons_from_one_repository_url_without_executing():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["repository"]["url"].startswith("https://github.com/")
    assert config["launch_buttons"]["binderhub_url"] and config["launch_buttons"]["colab_url"]
    assert config["execute"]["execute_notebooks"] == "off"
    assert not config["sphinx"]["config"]["mathjax_path"].startswith("http"), "MathJax must be served by the site"


def test_every_toc_entry_exists():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    for f in files:
        assert any((ROOT / f"{f}{ext}").exists() for ext in (".md", ".ipynb")), f"_toc.yml names missing {f}"
    chapters = sorted(p.with_suffix("").relative_to(ROOT).as_posix() for p in (ROOT / "chapters").glob("*.ipynb"))
    assert set(chapters) <= set(files), "every chapter notebook must be in _toc.yml"


def test_importing_the_package_sets_no_global_state():
    code = ("import numpy as np, matplotlib as mpl; before = (np.get_printoptions(), dict(mpl.rcParams)); "
            "import course_rnn, course_rnn.numpy, course_rnn.data, course_rnn.plots, course_rnn.show; "
            "assert before == (np.get_printoptions(), dict(mpl.rcParams)); import sys; "
            "assert 'torch' not in sys.modules, 'course_rnn.numpy must not import torch'")
    import subprocess
    subprocess.run([sys.executable, "-c", code], check=True)
