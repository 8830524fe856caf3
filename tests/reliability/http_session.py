"""A signed-in visitor of the live server over plain HTTP: cookies, the login form and the page's CSRF token.

Stands in for one browser (one session cookie) whose tabs may send requests from several threads;
uses only the standard library, so the requests are exactly what is written here.
"""

import html
import http.client
import json
import re
import threading
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Visitor:
    def __init__(self, base_url):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies = {}
        self._lock = threading.Lock()

    def request(self, method, path, body=None, headers=None):
        """(status, headers, text); redirects are returned, never followed."""
        with self._lock:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers={"Cookie": cookie, **(headers or {})})
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            with self._lock:
                for header in response.msg.get_all("Set-Cookie") or ():
                    for name, morsel in SimpleCookie(header).items():
                        self.cookies[name] = morsel.value
            return response.status, response.msg, text
        finally:
            connection.close()

    def page_token(self, path):
        """GET a page and return (its CSRF form token, its text), as the page's script reads them."""
        status, _, text = self.request("GET", path)
        assert status == 200, (path, status)
        return html.unescape(TOKEN.search(text).group(1)), text

    def sign_in(self, username, password):
        """Through the real login form; returns the path it redirects to."""
        token, _ = self.page_token("/accounts/login/")
        form = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password, "next": ""})
        status, headers, _ = self.request(
            "POST", "/accounts/login/", form, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert status == 302 and "sessionid" in self.cookies, f"login failed: {status}"
        return headers["Location"]

    def autosave(self, path, token, changes, version, force=()):
        """The request static/js/autosave.js sends: (status, parsed JSON body or None)."""
        body = {"version": version, "changes": changes}
        if force:
            body["force"] = sorted(force)
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-CSRFToken": token,
            "X-Requested-With": "fetch",
        }
        status, _, text = self.request("POST", path, json.dumps(body, ensure_ascii=False).encode(), headers)
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        return status, data, text
