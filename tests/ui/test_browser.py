"""Chapter 00 in a real browser: JupyterLab runs the notebook, Apply is clicked, the cluster view shows the pods.

Starts JupyterLab on a free loopback port (no token, temporary runtime, config and settings directories,
no news or extension-manager fetches) on a copy of notebooks/00-start-here.ipynb, and drives Debian's
Chromium (/usr/bin/chromium, installed by `make test`) headless with Playwright. Screenshots go to
test-artifacts/.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
NOTEBOOK = "00-start-here.ipynb"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"{CHROMIUM} is missing (make test installs Debian's chromium package)")

KERNEL_IDLE = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle';
}"""
ALL_CELLS_RUN = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session.kernel;
  return kernel.status === 'idle' && panel.content.widgets.every(
    cell => cell.model.type !== 'code' || cell.model.executionCount !== null);
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_server(url: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "api/status", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"JupyterLab did not answer at {url} within {timeout} s")


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[str]:
    """JupyterLab serving a temporary copy of the notebooks folder; yields its base URL."""
    home = tmp_path_factory.mktemp("lab")
    work = home / "work"
    work.mkdir()
    shutil.copy(ROOT / "notebooks" / NOTEBOOK, work / NOTEBOOK)
    env = dict(os.environ)
    for name, sub in (("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTER_CONFIG_DIR", "config"),
                      ("JUPYTERLAB_SETTINGS_DIR", "settings"), ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
                      ("IPYTHONDIR", "ipython")):
        env[name] = str(home / sub)
    env.pop("K8SCOURSE_CLUSTER", None)
    # no "official Jupyter news?" notification over the page (and no fetch of it)
    notification = home / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text('{"fetchNews": "false"}')
    port = free_port()
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0", "--IdentityProvider.token=",
               "--ServerApp.password=", f"--ServerApp.root_dir={work}", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.extension_manager=readonly", "--LabApp.expose_app_in_browser=True"]
    log = (home / "lab.log").open("w")
    proc = subprocess.Popen(command, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_server(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def hello_pods(text: str) -> set[str]:
    return set(re.findall(r"\bhello-[0-9a-z]{8,10}-[0-9a-z]{5}\b", text))


def test_apply_in_the_editor_shows_the_new_pods_in_the_cluster_view(lab):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{lab}lab/tree/{NOTEBOOK}")
            page.wait_for_function(KERNEL_IDLE, timeout=30_000)
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_function(ALL_CELLS_RUN, timeout=30_000, polling=250)

            view = page.locator(".k8scourse-cluster-view").first
            view.wait_for(timeout=10_000)
            assert not hello_pods(view.inner_html()), "the hello pods exist before Apply was clicked"

            apply_button = page.locator("button.k8scourse-apply").first
            apply_button.scroll_into_view_if_needed()
            apply_button.click()
            result = page.locator(".k8scourse-editor-result").first
            result.get_by_text("deployment.apps/hello created").wait_for(timeout=10_000)
            page.screenshot(path=str(ARTIFACTS / "editor-applied.png"))

            page.wait_for_function(
                """() => /hello-[0-9a-z]+-[0-9a-z]{5}/.test(
                       document.querySelector('.k8scourse-cluster-view').innerHTML)""", timeout=10_000)
            view.scroll_into_view_if_needed()
            assert len(hello_pods(view.inner_html())) == 3
            page.locator(".k8scourse-step").first.click()
            page.wait_for_timeout(300)
            for _ in range(5):
                page.locator(".k8scourse-step").first.click()
            page.wait_for_function(
                """() => (document.querySelector('.k8scourse-cluster-view').innerHTML
                          .match(/>Running 1\\/1</g) || []).length >= 7""", timeout=10_000)
            page.locator(".k8scourse-view").filter(has=view).first.screenshot(
                path=str(ARTIFACTS / "cluster-view.png"))
        finally:
            browser.close()
