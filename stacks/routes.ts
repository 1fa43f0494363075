// THE route manifest: read by stacks/api.ts (AWS) and dev/server.ts (local), so the two cannot drift.
// Plain data only: no SST globals, no imports.

export interface RouteEntry {
  method: "GET" | "POST";
  /** API Gateway path syntax: `{name}` is a path parameter. */
  path: string;
  /** Handler file relative to the repository root, without extension; it exports `handler` (the Lambda entry). */
  handler: string;
  /** The route factory `(deps) => handler` in functions/routes/, which the local server builds with its deps. */
  route: string;
  /** The factory's export name in `route`. */
  factory: string;
  /** SST resource name of the function. */
  name: string;
  /**
   * Whether the function reads the mapping table / enqueues events / calls Chatwoot / delivers to DELIVERY_URL /
   * queues messages accepted with `Prefer: respond-async` (spec §3.3).
   */
  uses: Array<"table" | "queue" | "chatwoot" | "delivery" | "inbound">;
  /** What the local server reads of a body before answering 413 (default 256 KiB, spec §8); the route checks it too. */
  maxBodyBytes?: number;
}

export const routes: RouteEntry[] = [
  {
    method: "GET",
    path: "/health",
    handler: "functions/handlers/health-get",
    route: "functions/routes/health-get",
    factory: "healthGetRoute",
    name: "Health",
    uses: [],
  },
  {
    method: "POST",
    path: "/contacts",
    handler: "functions/handlers/contacts-post",
    route: "functions/routes/contacts-post",
    factory: "contactsPostRoute",
    name: "ContactsPost",
    uses: ["table", "chatwoot"],
  },
  {
    method: "GET",
    path: "/contacts/{user_id}",
    handler: "functions/handlers/contacts-get",
    route: "functions/routes/contacts-get",
    factory: "contactsGetRoute",
    name: "ContactsGet",
    uses: ["table"],
  },
  {
    method: "POST",
    path: "/conversations",
    handler: "functions/handlers/conversations-post",
    route: "functions/routes/conversations-post",
    factory: "conversationsPostRoute",
    name: "ConversationsPost",
    uses: ["table", "chatwoot"],
  },
  {
    method: "POST",
    path: "/messages",
    handler: "functions/handlers/messages-post",
    route: "functions/routes/messages-post",
    factory: "messagesPostRoute",
    name: "MessagesPost",
    uses: ["table", "chatwoot", "inbound"],
  },
  {
    method: "POST",
    path: "/events",
    handler: "functions/handlers/events-post",
    route: "functions/routes/events-post",
    factory: "eventsPostRoute",
    name: "EventsPost",
    uses: ["table", "chatwoot"],
  },
  {
    method: "POST",
    path: "/webhooks/chatwoot",
    handler: "functions/handlers/webhooks-chatwoot-post",
    route: "functions/routes/webhooks-chatwoot-post",
    factory: "webhooksChatwootPostRoute",
    name: "ChatwootWebhook",
    uses: ["queue"],
    // MAX_WEBHOOK_BYTES of functions/routes/webhooks-chatwoot-post.ts (a unit test keeps them equal).
    maxBodyBytes: 4 * 1024 * 1024,
  },
];

/** The queue consumer: delivers agent replies (spec §5). */
export const deliveryWorker = {
  handler: "functions/handlers/delivery-worker",
  route: "functions/routes/delivery-worker",
  factory: "deliveryWorkerRoute",
  name: "DeliveryWorker",
  uses: ["table", "chatwoot", "delivery"],
} as const;

/** The inbound queue's consumer: posts messages accepted with `Prefer: respond-async` (spec §3.3). */
export const inboundWorker = {
  handler: "functions/handlers/inbound-worker",
  route: "functions/routes/inbound-worker",
  factory: "inboundWorkerRoute",
  name: "InboundWorker",
  // The delivery queue carries its message.posted / message.failed; its own queue link comes with the subscription.
  uses: ["table", "chatwoot", "queue", "inbound"],
} as const;

/** Every queue consumer of the stack. */
export const queueWorkers = [deliveryWorker, inboundWorker] as const;
/** The catch-up sweep (spec §7): run every SWEEP_INTERVAL by a schedule (stacks/sweep.ts), locally by a timer. */
export const sweep = {
  handler: "functions/handlers/sweep",
  route: "functions/routes/sweep",
  factory: "sweepRoute",
  name: "Sweep",
  uses: ["table", "queue", "chatwoot"],
} as const;
