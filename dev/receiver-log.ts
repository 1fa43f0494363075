// What the built-in receiver has kept, and the waiting behind `next()`: each delivery is handed
// to one next() call, oldest first, so a test that asks after the delivery arrived still gets it.

export interface ReceivedDelivery {
  webhookId: string;
  /** `webhook-timestamp`, unix seconds. */
  timestamp: number;
  body: unknown;
  raw: string;
}

interface Waiter {
  predicate: (delivery: ReceivedDelivery) => boolean;
  resolve: (delivery: ReceivedDelivery) => void;
  reject: (error: Error) => void;
}

export class DeliveryLog {
  private readonly deliveries: ReceivedDelivery[] = [];
  private readonly handedOut = new Set<ReceivedDelivery>();
  private waiters: Waiter[] = [];

  /** Keeps a delivery; true when its webhook-id was seen before (a retry after a lost answer). */
  add(delivery: ReceivedDelivery): boolean {
    const repeat = this.deliveries.some((d) => d.webhookId === delivery.webhookId);
    this.deliveries.push(delivery);
    const waiter = this.waiters.find((w) => w.predicate(delivery));
    if (waiter) {
      this.waiters = this.waiters.filter((w) => w !== waiter);
      this.handedOut.add(delivery);
      waiter.resolve(delivery);
    }
    return repeat;
  }

  /** Takes back deliveries kept before a restart: listed again, never handed to next(). */
  restore(deliveries: ReceivedDelivery[]): void {
    for (const delivery of deliveries) {
      this.deliveries.push(delivery);
      this.handedOut.add(delivery);
    }
  }

  all(): ReceivedDelivery[] {
    return [...this.deliveries];
  }

  next(predicate: (delivery: ReceivedDelivery) => boolean = () => true): Promise<ReceivedDelivery> {
    const kept = this.deliveries.find((d) => !this.handedOut.has(d) && predicate(d));
    if (kept) {
      this.handedOut.add(kept);
      return Promise.resolve(kept);
    }
    return new Promise((resolve, reject) => this.waiters.push({ predicate, resolve, reject }));
  }

  close(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(new Error("The receiver was closed before the delivery arrived"));
  }
}

/** The longest text printed for one delivery; the whole body is at GET /deliveries and in the console. */
const PRINTED_TEXT_CHARS = 120;

/**
 * One line for the person running `npm start`: type, user, conversation, webhook-id and the reply's text.
 * A local console line, never a log line (functions/log.ts carries ids only).
 */
export function describeDelivery(delivery: ReceivedDelivery): string {
  const body = isRecord(delivery.body) ? delivery.body : {};
  const type = typeof body.type === "string" ? body.type : "delivery";
  const data = isRecord(body.data) ? body.data : {};
  const user = typeof data.user_id === "string" ? ` user=${data.user_id}` : "";
  const conversation = typeof data.conversation_id === "number" ? ` conversation=${data.conversation_id}` : "";
  const message = isRecord(data.message) ? data.message : {};
  const files = Array.isArray(message.attachments) ? message.attachments.length : 0;
  const text = typeof message.content === "string" && message.content ? ` ${quote(message.content)}` : "";
  const attached = files ? ` +${files} attachment${files === 1 ? "" : "s"}` : "";
  const status = typeof data.status === "string" ? ` status=${data.status}` : "";
  return `${type}${user}${conversation} webhook-id=${delivery.webhookId}${status}${text}${attached}`;
}

function quote(text: string): string {
  const short = text.length > PRINTED_TEXT_CHARS ? `${text.slice(0, PRINTED_TEXT_CHARS)}…` : text;
  return JSON.stringify(short);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
