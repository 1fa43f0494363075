// `npm run bench -- --profile`: a CPU profile of the bridge's process (the load client runs in its own thread and
// is not in it) while it serves sequential known-user messages in the npm start layout. Each sample's self time is
// charged to the code it ran in: the AWS SDK, the store (dynalite, LevelDB), Node's HTTP and streams, the bridge
// (functions/ and the libraries only it uses), the sandbox, the local runtime, garbage collection; "(program)"
// (V8 and native code not under a JS frame) counts as other.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import type { Profiler } from "node:inspector";
import { round } from "./stats.js";

export type Category =
  | "AWS SDK"
  | "store (dynalite, LevelDB)"
  | "Node HTTP, net, streams"
  | "bridge (functions/, zod, middy, ofetch)"
  | "sandbox (Chatwoot)"
  | "local runtime (server, queue, receiver)"
  | "garbage collection"
  | "other (Node internals, tsx, …)";

export interface ProfileShare {
  category: Category;
  msPerMessage: number;
  percent: number;
}

const RULES: Array<[RegExp, Category]> = [
  [/node_modules\/(@aws-sdk|@smithy|@aws-crypto|@aws\/)/, "AWS SDK"],
  [
    /node_modules\/(dynalite|level|classic-level|abstract-level|memdown|lazy|big\.js|once|async)/,
    "store (dynalite, LevelDB)",
  ],
  [
    /^node:(_http|http|https|net|stream|internal\/(http|streams|stream_base|net|js_stream|webstreams|deps\/undici|dns))/,
    "Node HTTP, net, streams",
  ],
  [
    /\/functions\/|node_modules\/(zod|@middy|ofetch|destr|ufo|standardwebhooks|ipaddr\.js)/,
    "bridge (functions/, zod, middy, ofetch)",
  ],
  [/\/dev\/sandbox\//, "sandbox (Chatwoot)"],
  [/\/dev\//, "local runtime (server, queue, receiver)"],
];

export class CpuProfile {
  private constructor(private readonly session: Session) {}

  static async start(): Promise<CpuProfile> {
    const session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
    return new CpuProfile(session);
  }

  async stop(): Promise<Profiler.Profile> {
    const { profile } = await this.session.post("Profiler.stop");
    this.session.disconnect();
    return profile;
  }
}

/** The profile as Chrome DevTools and speedscope open it. */
export function writeProfile(file: string, profile: Profiler.Profile): void {
  writeFileSync(file, JSON.stringify(profile));
}

/** Native frames that belong to sockets: their callers are often Node's generic stream code. */
const SOCKET_NATIVES = new Set(["writeBuffer", "writev", "writeUtf8String", "writeLatin1String", "onStreamRead"]);

/** CPU time per message by category (idle time left out), biggest first. */
export function profileShares(profile: Profiler.Profile, messages: number): ProfileShare[] {
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  // A native or generic frame (events, timers, microtasks) is charged to the nearest caller whose code is known.
  const categoryOf = new Map<number, Category | undefined>();
  const resolve = (id: number): Category | undefined => {
    if (categoryOf.has(id)) return categoryOf.get(id);
    const frame = frames.get(id);
    let category: Category | "inherit" | undefined = frame ? categorize(frame) : "inherit";
    if (category === "inherit") {
      const parent = parentOf.get(id);
      category = parent === undefined ? "other (Node internals, tsx, …)" : resolve(parent);
    }
    categoryOf.set(id, category);
    return category;
  };
  for (const node of profile.nodes) resolve(node.id);
  const micros = new Map<Category, number>();
  const { samples = [], timeDeltas = [] } = profile;
  samples.forEach((id, i) => {
    const category = categoryOf.get(id);
    // timeDeltas[i] is the time before sample i: charged to the sample that ran then.
    const delta = timeDeltas[i + 1] ?? 0;
    if (category) micros.set(category, (micros.get(category) ?? 0) + delta);
  });
  const total = [...micros.values()].reduce((sum, value) => sum + value, 0);
  return [...micros.entries()]
    .map(([category, us]) => ({
      category,
      msPerMessage: round(us / 1000 / messages, 3),
      percent: round((us / total) * 100, 1),
    }))
    .sort((a, b) => b.msPerMessage - a.msPerMessage);
}

function categorize(frame: Profiler.ProfileNode["callFrame"]): Category | "inherit" | undefined {
  if (frame.functionName === "(idle)") return undefined;
  if (frame.functionName === "(garbage collector)") return "garbage collection";
  if (SOCKET_NATIVES.has(frame.functionName)) return "Node HTTP, net, streams";
  const url = frame.url.replace(/\\/g, "/");
  for (const [pattern, category] of RULES) if (pattern.test(url)) return category;
  if (url === "" || GENERIC.test(url)) return "inherit";
  return "other (Node internals, tsx, …)";
}

/** Node's generic machinery: what it costs belongs to whoever called it. */
const GENERIC =
  /^node:(events|internal\/(process|timers|event_target|per_context|async_hooks|util|buffer|url|errors|validators))|^node:(buffer|util|url|crypto|timers|internal\/crypto)/;
