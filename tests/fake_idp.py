"""A local OpenID Connect identity provider for the single sign-on tests: a real HTTP
server on 127.0.0.1 with the authorization-code flow (PKCE, nonce), ID tokens signed
RS256 with a key published at /jwks, and /userinfo. Who signs in next is set by the test
(`idp.next_claims`)."""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "strata-test"
CLIENT_SECRET = "fake-idp-secret-for-tests"
KID = "fake-1"


class FakeIdP:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.next_claims: dict = {}
        self.codes: dict[str, dict] = {}
        self.access: dict[str, dict] = {}
        self.requests: list[str] = []
        # Set by a test: the token endpoint answers this status instead of a token.
        self.token_status: int | None = None
        self.audience = CLIENT_ID
        # Set by a test: the ID token's issue time this many seconds off; no ID token.
        self.iat_offset = 0
        self.omit_id_token = False
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                url = urlparse(self.path)
                idp.requests.append(url.path)
                if url.path == "/authorize":
                    return self._authorize(parse_qs(url.query))
                if url.path == "/.well-known/openid-configuration":
                    return self._json(200, idp.discovery())
                if url.path == "/jwks":
                    return self._json(200, {"keys": [idp.jwk()]})
                if url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in idp.access:
                        return self._json(401, {"error": "invalid_token"})
                    return self._json(200, idp.access[token])
                return self._json(404, {"error": "not_found"})

            def do_POST(self):
                url = urlparse(self.path)
                idp.requests.append(url.path)
                body = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                form = {k: v[0] for k, v in body.items()}
                if url.path != "/token":
                    return self._json(404, {"error": "not_found"})
                if idp.token_status:
                    return self._json(idp.token_status, {"error": "server_error"})
                grant = idp.codes.pop(form.get("code", ""), None)
                if (
                    grant is None
                    or form.get("client_id") != CLIENT_ID
                    or form.get("client_secret") != CLIENT_SECRET
                    or form.get("redirect_uri") != grant["redirect_uri"]
                    or _s256(form.get("code_verifier", "")) != grant["challenge"]
                ):
                    return self._json(400, {"error": "invalid_grant"})
                access = secrets.token_urlsafe(16)
                idp.access[access] = grant["claims"]
                answer = {"access_token": access, "token_type": "Bearer"}
                if not idp.omit_id_token:
                    answer["id_token"] = idp.id_token(grant["claims"], grant["nonce"])
                return self._json(200, answer)

            def _authorize(self, query):
                q = {k: v[0] for k, v in query.items()}
                if q.get("client_id") != CLIENT_ID or q.get("code_challenge_method") != "S256":
                    return self._json(400, {"error": "invalid_request"})
                code = secrets.token_urlsafe(16)
                idp.codes[code] = {
                    "claims": dict(idp.next_claims),
                    "nonce": q.get("nonce"),
                    "challenge": q.get("code_challenge"),
                    "redirect_uri": q["redirect_uri"],
                }
                target = q["redirect_uri"] + "?" + urlencode({"code": code, "state": q["state"]})
                self.send_response(302)
                self.send_header("Location", target)
                self.end_headers()

            def _json(self, status, data):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def discovery(self) -> dict:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def jwk(self) -> dict:
        data = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return data | {"kid": KID, "alg": "RS256", "use": "sig"}

    def id_token(self, claims: dict, nonce: str | None) -> str:
        now = int(time.time())
        payload = {
            "iss": self.url,
            "aud": self.audience,
            "sub": str(claims.get("token_sub", claims.get("sub", claims.get("email", "someone")))),
            "iat": now + self.iat_offset,
            "exp": now + self.iat_offset + 300,
            "nonce": nonce,
        }
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": KID})

    def settings(self) -> dict:
        """The Strata settings that point single sign-on at this provider."""
        return {
            "STRATA_OIDC_ENABLED": True,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_OP_ISSUER": self.url,
        }


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
