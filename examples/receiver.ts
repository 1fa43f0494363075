// A delivery receiver for chatwoot-bridge (README "Receiving agent replies"): verifies each delivery's Standard
// Webhooks signature over the raw body, drops repeats by webhook-id, prints what arrived and answers 204.
// Run: DELIVERY_SECRET=whsec_… PORT=4000 npx tsx examples/receiver.ts   (then DELIVERY_URL=http://127.0.0.1:4000/)
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

const secret = Buffer.from((process.env.DELIVERY_SECRET ?? "").replace(/^whsec_/, ""), "base64");
const seen = new Set<string>(); // use your database in production

function verified(headers: Record<string, string | string[] | undefined>, rawBody: string): string | undefined {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = headers["webhook-signature"];
  if (typeof id !== "string" || typeof timestamp !== "string" || typeof signatures !== "string") return undefined;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return undefined; // replay window
  const mac = createHmac("sha256", secret).update(`${id}.${timestamp}.${rawBody}`).digest("base64");
  const expected = Buffer.from(`v1,${mac}`);
  const match = signatures
    .split(" ")
    .some((s) => Buffer.byteLength(s) === expected.length && timingSafeEqual(Buffer.from(s), expected));
  return match ? id : undefined;
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const raw = Buffer.concat(chunks).toString("utf8"); // verify the bytes as received, before parsing
    const id = verified(req.headers, raw);
    if (!id) {
      console.log("refused: bad signature");
      res.writeHead(401).end();
      return;
    }
    if (!seen.has(id)) {
      seen.add(id);
      const { type, data }: { type: string; data: { user_id: string; message?: { content: string | null } } } =
        JSON.parse(raw);
      console.log(`verified ${id} ${type} user=${data.user_id} text=${JSON.stringify(data.message?.content ?? null)}`);
    }
    res.writeHead(204).end();
  });
});
server.listen(Number(process.env.PORT ?? 4000), "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening on ${typeof address === "object" && address ? address.port : ""}`);
});
