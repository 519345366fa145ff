"""Write the repository's GitHub path into every badge, Colab link and install cell.

The path is kept in one place: pyproject.toml's [project.urls] Repository. `make links`
(python tests/repository_links.py [--repo OWNER/NAME] [--branch main]) then rewrites:

- in every notebook in notebooks/, two cells, each found again by its tag and updated in
  place, so that running this twice changes nothing:
  - "nnlib-badges": a markdown cell right after the title cell, with "Open in Colab" and
    Binder badges for that notebook;
  - "nnlib-colab-install": a code cell before the first other code cell, which installs
    nnlib from the repository when, and only when, the notebook runs in Google Colab
    (elsewhere nnlib is installed already, and the cell prints nothing);
- in README.md, every Binder, Colab and nbviewer link and `git+https` install URL, and the
  table of links per notebook between the "links:begin" and "links:end" comments.

With --repo, pyproject.toml's URL is changed first. Colab opens a notebook from a branch
(--branch, "main" unless told); Binder and pip use the default branch.
After running it on notebooks that had no install cell yet, re-execute them
(`make notebooks`): the new cell shifts the execution counts.
"""
import argparse
import re
import sys
import tomllib
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
README = ROOT / "README.md"
NOTEBOOKS = ROOT / "notebooks"
BADGES, INSTALL = "nnlib-badges", "nnlib-colab-install"
NAME = r"[A-Za-z0-9_.-]+"
REPOSITORY_LINE = re.compile(r'^(Repository\s*=\s*")https://github\.com/[^"]*(")', re.MULTILINE)

COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"

INSTALL_SOURCE = '''\
# In Google Colab only: install nnlib from the course's repository (elsewhere it is installed).
import sys

if "google.colab" in sys.modules:
    import subprocess
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    "git+https://github.com/{repo}"], check=True)'''


def repository():
    """OWNER/NAME from pyproject.toml's [project.urls] Repository."""
    url = tomllib.loads(PYPROJECT.read_text())["project"]["urls"]["Repository"]
    match = re.fullmatch(rf"https://github\.com/({NAME}/{NAME})/?", url)
    if not match:
        raise SystemExit(f"pyproject.toml: Repository must be https://github.com/OWNER/NAME; "
                         f"got {url!r}")
    return match.group(1)


def set_repository(repo):
    """Write https://github.com/repo into pyproject.toml's Repository line."""
    if not re.fullmatch(f"{NAME}/{NAME}", repo):
        raise SystemExit(f"--repo must be OWNER/NAME, as in github.com/OWNER/NAME; got {repo!r}")
    text, count = REPOSITORY_LINE.subn(rf"\g<1>https://github.com/{repo}\g<2>", PYPROJECT.read_text())
    if count != 1:
        raise SystemExit("pyproject.toml has no Repository = \"https://github.com/...\" line "
                         "under [project.urls]")
    PYPROJECT.write_text(text)


# --- The links ----------------------------------------------------------------------

def colab_url(repo, branch, path):
    return f"https://colab.research.google.com/github/{repo}/blob/{branch}/{path}"


def binder_url(repo, urlpath):
    """A Binder link that opens urlpath (lab/tree/..., voila/render/...) once the server runs."""
    return f"https://mybinder.org/v2/gh/{repo}/HEAD?urlpath={urlpath}"


def nbviewer_url(repo, branch, path):
    return f"https://nbviewer.org/github/{repo}/blob/{branch}/{path}"


def badges_source(repo, branch, path):
    return (f"[![Open In Colab]({COLAB_BADGE})]({colab_url(repo, branch, path)}) "
            f"[![Binder]({BINDER_BADGE})]({binder_url(repo, f'lab/tree/{path}')})")


def links_table(repo, branch):
    """README's table: each notebook's Colab, Binder and read-only links."""
    rows = ["| notebook | Colab | Binder (`?urlpath=`) | read-only |",
            "| --- | --- | --- | --- |"]
    for notebook in sorted(NOTEBOOKS.glob("*.ipynb")):
        path = notebook.relative_to(ROOT).as_posix()
        rows.append(f"| [`{notebook.name}`]({path}) "
                    f"| [open]({colab_url(repo, branch, path)}) "
                    f"| [`lab/tree/{path}`]({binder_url(repo, f'lab/tree/{path}')}) "
                    f"| [nbviewer]({nbviewer_url(repo, branch, path)}) |")
    app = "app/playground.ipynb"
    rows.append(f"| the playground app, [`{app}`]({app}) | – "
                f"| [`voila/render/{app}`]({binder_url(repo, f'voila/render/{app}')}) | – |")
    return "\n".join(rows)


def rewrite_readme(text, repo, branch):
    text = re.sub(rf"https://mybinder\.org/v2/gh/{NAME}/{NAME}/",
                  f"https://mybinder.org/v2/gh/{repo}/", text)
    text = re.sub(rf"https://colab\.research\.google\.com/github/{NAME}/{NAME}/blob/{NAME}/",
                  f"https://colab.research.google.com/github/{repo}/blob/{branch}/", text)
    text = re.sub(rf"https://nbviewer\.org/github/{NAME}/{NAME}/blob/{NAME}/",
                  f"https://nbviewer.org/github/{repo}/blob/{branch}/", text)
    text = re.sub(rf"git\+https://github\.com/{NAME}/{NAME}",
                  f"git+https://github.com/{repo}", text)
    return re.sub(r"(<!-- links:begin -->\n)(?:.*?\n)?(<!-- links:end -->)",
                  lambda m: m.group(1) + links_table(repo, branch) + "\n" + m.group(2),
                  text, flags=re.DOTALL)


# --- The notebooks' cells -------------------------------------------------------------

def tagged(notebook, tag):
    return next((cell for cell in notebook.cells if tag in cell.metadata.get("tags", [])), None)


def put_cell(notebook, tag, cell_type, source, index):
    """Update the cell tagged tag in place, or insert a new one at index."""
    cell = tagged(notebook, tag)
    if cell is not None:
        cell.source = source
        return
    if cell_type == "code":
        cell = nbformat.v4.new_code_cell(source, id=tag)
    else:
        cell = nbformat.v4.new_markdown_cell(source, id=tag)
    cell.metadata["tags"] = [tag]
    notebook.cells.insert(index, cell)


def add_links(path, repo, branch):
    """Put the badges and the Colab install cell into one notebook; True if it changed."""
    original = path.read_text()
    notebook = nbformat.reads(original, as_version=4)
    relative = path.resolve().relative_to(ROOT).as_posix()
    put_cell(notebook, BADGES, "markdown", badges_source(repo, branch, relative), index=1)
    first_code = next((i for i, cell in enumerate(notebook.cells)
                       if cell.cell_type == "code"), len(notebook.cells))
    put_cell(notebook, INSTALL, "code", INSTALL_SOURCE.format(repo=repo), index=first_code)
    text = nbformat.writes(notebook)
    text += "" if text.endswith("\n") else "\n"      # as nbformat.write ends a file
    if text != original:
        path.write_text(text)
    return text != original


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", help="OWNER/NAME: write it into pyproject.toml first")
    parser.add_argument("--branch", default="main", help="the branch Colab opens (main)")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="the notebooks to update (all of notebooks/ unless given)")
    args = parser.parse_args(argv)
    if args.repo:
        set_repository(args.repo)
    repo = repository()
    for path in args.notebooks or sorted(NOTEBOOKS.glob("*.ipynb")):
        changed = add_links(path, repo, args.branch)
        print(f"{path}: {'updated' if changed else 'unchanged'}")
    text = README.read_text()
    new = rewrite_readme(text, repo, args.branch)
    if new != text:
        README.write_text(new)
    print(f"README.md: {'updated' if new != text else 'unchanged'} (repository {repo})")


if __name__ == "__main__":
    sys.exit(main())
