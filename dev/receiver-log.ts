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

/** One short line: the event type, webhook-id and conversation id. Never the content. */
export function describeDelivery(delivery: ReceivedDelivery): string {
  const body = isRecord(delivery.body) ? delivery.body : {};
  const type = typeof body.type === "string" ? body.type : "delivery";
  const data = isRecord(body.data) ? body.data : {};
  const conversation = typeof data.conversation_id === "number" ? ` conversation=${data.conversation_id}` : "";
  return `${type} webhook-id=${delivery.webhookId}${conversation}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
