// What the load generator is asked to do and what it answers, and the closed-loop runner: `lanes` run side by
// side, each sending its jobs one after another, so concurrency = number of lanes. A user belongs to one lane,
// so no user ever has two requests in flight (that keeps every Chatwoot call attributable to one request).

export interface Job {
  /** Unique per request: the x-sandbox-tag of its Chatwoot calls. */
  tag: string;
  userId: string;
  /** Sent as thread_id: a new thread of a known user costs one Chatwoot call (bridge only). */
  threadId?: string;
  messageId: string;
  content: string;
}

export interface ChatwootTarget {
  /** …/api/v1/accounts/{id} */
  apiBase: string;
  inboxId: number;
  token: string;
}

export interface LoadSpec {
  /** "bridge": POST /messages to the bridge. "naive": the guide's flow straight against Chatwoot (naive-client.ts). */
  target: "bridge" | "naive";
  bridgeUrl: string;
  apiKey: string;
  chatwoot: ChatwootTarget;
  lanes: Job[][];
}

export interface Sample {
  tag: string;
  /** Client round trip: request sent until the whole answer was read. */
  ms: number;
  ok: boolean;
  status: number;
}

export interface LoadResult {
  samples: Sample[];
  /** First request sent until the last answer read. */
  wallMs: number;
}

/** Runs every lane to its end; one job's failure is a sample with ok: false, never a stop. */
export async function runLanes(
  lanes: Job[][],
  send: (job: Job) => Promise<{ ok: boolean; status: number }>,
): Promise<LoadResult> {
  const samples: Sample[] = [];
  const started = performance.now();
  await Promise.all(
    lanes.map(async (lane) => {
      for (const job of lane) {
        const sent = performance.now();
        let outcome: { ok: boolean; status: number };
        try {
          outcome = await send(job);
        } catch {
          outcome = { ok: false, status: 0 };
        }
        samples.push({ tag: job.tag, ms: performance.now() - sent, ...outcome });
      }
    }),
  );
  return { samples, wallMs: performance.now() - started };
}

/** Deals users to `concurrency` lanes (user i to lane i mod c) and gives each lane its users' messages in turn. */
export function dealLanes(
  users: string[],
  messagesPerUser: number,
  concurrency: number,
  job: (userId: string, n: number) => Job,
): Job[][] {
  const lanes: Job[][] = Array.from({ length: concurrency }, () => []);
  const laneUsers: string[][] = Array.from({ length: concurrency }, () => []);
  users.forEach((user, i) => {
    laneUsers[i % concurrency]?.push(user);
  });
  laneUsers.forEach((owned, lane) => {
    for (let n = 0; n < messagesPerUser; n++) for (const user of owned) lanes[lane]?.push(job(user, n));
  });
  return lanes;
}
