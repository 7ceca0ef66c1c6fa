"""`make lab` starts JupyterLab on the course, and the MyST sources open
as notebooks."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = "notebooks/01_bert_in_five_minutes"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


def test_make_lab_serves_a_chapter_and_opens_md_as_a_notebook():
    port = free_port()
    args = (
        f"--no-browser --allow-root --ip=127.0.0.1 --port={port} "
        "--IdentityProvider.token= --ServerApp.password="
    )
    lab = subprocess.Popen(
        ["make", "-s", "lab", f"VENV={sys.prefix}", f"LAB_ARGS={args}"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                get(f"{base}/api/status")
                break
            except OSError:
                assert lab.poll() is None, lab.stdout.read().decode()[
                    -3000:
                ]
                assert time.monotonic() < deadline, (
                    "JupyterLab did not start within 90 s"
                )
                time.sleep(0.5)
        status, page = get(f"{base}/lab/tree/{CHAPTER}.ipynb")
        assert status == 200 and "JupyterLab" in page
        # jupytext's contents manager reads the MyST source as a
        # notebook
        status, body = get(
            f"{base}/api/contents/{CHAPTER}.md?type=notebook&content=1"
        )
        model = json.loads(body)
        assert model["type"] == "notebook"
        cells = model["content"]["cells"]
        assert any(
            "parameters" in c["metadata"].get("tags", []) for c in cells
        )
        settings = json.loads(
            (
                Path(sys.prefix)
                / "share/jupyter/lab/settings/overrides.json"
            ).read_text()
        )
        viewers = settings["@jupyterlab/docmanager-extension:plugin"][
            "defaultViewers"
        ]
        assert viewers["markdown"] == "Jupytext Notebook"
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        lab.wait(timeout=30)
