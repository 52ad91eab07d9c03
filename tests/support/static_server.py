#!/usr/bin/env python3
"""Serves the built site (dist/) on loopback like a static host with a single-page-app fallback.

    static_server.py --dir dist --port 8080 [--base /repo/] [--config-json '{"api_base": ...}']
                     [--host-style spa|github-pages]

Paths under --base map to files in --dir. With the default `spa` style an unknown path without a
file extension answers index.html with 200 (an S3 website whose error document is index.html, or
`trunk serve`), an unknown file answers 404. With `github-pages` every unknown path answers
404.html with status 404, exactly as GitHub Pages does; the site's 404.html boots the app. --config-json replaces config.json, so tests
and the demo can point one build at any API without rebuilding. Prints
`STATIC_READY http://127.0.0.1:<port><base>` once listening.
"""

import argparse
import mimetypes
import os
import posixpath
import sys
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("text/javascript", ".js")


def make_handler(root, base, config_json, host_style="spa"):
    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, fmt, *args):  # quiet: tests read stdout
            pass

        def end_headers(self):
            self.send_header("Cache-Control", "no-cache")
            super().end_headers()

        def _send(self, status, body, ctype):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self):
            self.do_GET()

        def do_GET(self):
            path = urllib.parse.urlsplit(self.path).path
            if not path.startswith(base) and path + "/" != base:
                return self._send(404, b"not under the site base\n", "text/plain")
            rel = urllib.parse.unquote(path[len(base):] if path.startswith(base) else "")
            rel = posixpath.normpath("/" + rel).lstrip("/")
            if rel in ("", "."):
                rel = "index.html"
            if rel == "config.json" and config_json is not None:
                return self._send(200, config_json.encode(), "application/json")
            full = os.path.join(root, rel)
            if os.path.isfile(full):
                ctype = mimetypes.guess_type(full)[0] or "application/octet-stream"
                with open(full, "rb") as f:
                    return self._send(200, f.read(), ctype)
            if host_style == "github-pages":
                page = os.path.join(root, "404.html")
                if os.path.isfile(page):
                    with open(page, "rb") as f:
                        return self._send(404, f.read(), "text/html; charset=utf-8")
                return self._send(404, b"not found\n", "text/plain")
            if "." in posixpath.basename(rel):
                return self._send(404, b"not found\n", "text/plain")
            with open(os.path.join(root, "index.html"), "rb") as f:
                return self._send(200, f.read(), "text/html; charset=utf-8")

    return Handler


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", default="dist")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--base", default="/")
    ap.add_argument("--config-json", default=None)
    ap.add_argument("--host-style", choices=("spa", "github-pages"), default="spa")
    args = ap.parse_args()
    base = "/" + args.base.strip("/") + "/" if args.base.strip("/") else "/"
    if not os.path.isfile(os.path.join(args.dir, "index.html")):
        sys.exit(f"{args.dir}/index.html is missing: build the site first")
    server = ThreadingHTTPServer((args.host, args.port), make_handler(args.dir, base, args.config_json, args.host_style))
    print(f"STATIC_READY http://{args.host}:{server.server_address[1]}{base}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
