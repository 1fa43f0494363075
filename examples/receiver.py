# A delivery receiver for chatwoot-bridge in Python, standard library only (README "Receiving agent replies"):
# verifies each delivery's Standard Webhooks signature over the raw body, drops repeats by webhook-id,
# prints what arrived and answers 204.
# Run: DELIVERY_SECRET=whsec_... PORT=4000 python3 examples/receiver.py
import base64
import hashlib
import hmac
import json
import os
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

SECRET = base64.b64decode(os.environ.get("DELIVERY_SECRET", "").removeprefix("whsec_"))
seen = set()  # use your database in production


def verified(headers, raw):
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not msg_id or not timestamp or not signatures or not timestamp.isdigit():
        return None
    if abs(time.time() - int(timestamp)) > 300:  # replay window
        return None
    signed = f"{msg_id}.{timestamp}.".encode() + raw
    expected = "v1," + base64.b64encode(hmac.new(SECRET, signed, hashlib.sha256).digest()).decode()
    if any(hmac.compare_digest(s, expected) for s in signatures.split(" ")):
        return msg_id
    return None


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("content-length", 0)))  # verify before parsing
        msg_id = verified(self.headers, raw)
        if msg_id is None:
            print("refused: bad signature", flush=True)
            self.send_response(401)
            self.end_headers()
            return
        if msg_id not in seen:
            seen.add(msg_id)
            body = json.loads(raw)
            data = body["data"]
            text = (data.get("message") or {}).get("content")
            print(f"verified {msg_id} {body['type']} user={data['user_id']} text={json.dumps(text, ensure_ascii=False)}", flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass  # one line per delivery above is enough


server = HTTPServer(("127.0.0.1", int(os.environ.get("PORT", "4000"))), Receiver)
print(f"listening on {server.server_port}", flush=True)
server.serve_forever()
