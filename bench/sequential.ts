// `npx tsx bench/sequential.ts [users]`: the headline alone, for comparing two builds on a busy machine (farm-bench
// --vs runs two checkouts in turn): a fresh bridge in the npm start layout, the warm-up, then each user's first
// message and 2 more, sequentially. Prints the known-user figures as one JSON line.
import { startBridgeUnderTest } from "./bridge-under-test.js";
import { LoadClient } from "./load-client.js";
import { runInbound } from "./scenarios/inbound.js";

const users = Number(process.argv[2] ?? 100);
const load = new LoadClient();
const but = await startBridgeUnderTest({ latencyMs: 0, layout: "npm start" });
try {
  await runInbound(but, load, { label: "warmup", latencyMs: 0, concurrency: 1, users: 10, knownPerUser: 4 }, "bridge", {
    phases: ["first", "known"],
  });
  const figures = await runInbound(
    but,
    load,
    { label: "run", latencyMs: 0, concurrency: 1, users, knownPerUser: 2 },
    "bridge",
    { phases: ["first", "known"] },
  );
  const known = figures.find((f) => f.phase === "known");
  process.stdout.write(
    `${JSON.stringify({ addedMs: known?.addedMs, cpuMsPerMessage: known?.cpuMsPerMessage, dynamo: known?.dynamoMsPerMessage })}\n`,
  );
} finally {
  await but.close();
  await load.close();
}
