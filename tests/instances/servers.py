"""Real app processes for the tests: gunicorn on free ports, configured by the environment as a
deployment is, and a small HTTP client that keeps what the tests look at."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STARTING = 30  # seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def etag(self) -> str:
        return self.headers["ETag"]

    def json(self):
        return json.loads(self.body)

    def set_cookies(self) -> dict[str, str]:
        jar = SimpleCookie()
        for value in self.headers.get_all("Set-Cookie") or []:
            jar.load(value)
        return {name: morsel.value for name, morsel in jar.items()}

    def cookies(self) -> str:
        """The cookies set, as a Cookie header sends them back."""
        return "; ".join(f"{name}={value}" for name, value in self.set_cookies().items())


class Instance:
    def __init__(self, port: int, process: subprocess.Popen, log_path: Path):
        self.port, self.process, self.log_path = port, process, log_path

    def request(self, method, path, *, form=None, json_body=None, headers=None, timeout=30):
        headers = dict(headers or {})
        body = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            return Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def stop_instances(instances: list[Instance]) -> None:
    """All asked to stop at once (SIGINT: gunicorn's quick shutdown), then waited for."""
    for instance in instances:
        instance.process.send_signal(signal.SIGINT)
    for instance in instances:
        try:
            instance.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            instance.process.kill()


def start_instances(
    folder: Path, environments: list[dict], workers: int = 1, starting: float = STARTING
) -> list[Instance]:
    """One gunicorn per environment (added to this process's), started together; returns once
    each answers (within ``starting`` seconds: a loaded machine needs more)."""
    instances = []
    for n, settings in enumerate(environments):
        port = free_port()
        log_path = folder / f"instance-{n}.log"
        command = [
            sys.executable, "-m", "gunicorn", "--workers", str(workers), "--no-control-socket",
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app",
        ]  # fmt: skip
        env = {**os.environ, **settings, "FACILITATE_BASE_URL": f"http://127.0.0.1:{port}"}
        with log_path.open("wb") as log:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        instances.append(Instance(port, process, log_path))
    deadline = time.monotonic() + starting
    for instance in instances:
        while True:
            if instance.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped while starting:\n{instance.log()}")
            try:
                if instance.request("GET", "/api/v1/", timeout=5).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                stop_instances(instances)
                raise RuntimeError(f"gunicorn did not answer within {starting} s")
            time.sleep(0.1)
    return instances
