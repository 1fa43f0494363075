// The delivery worker's Lambda entry: the logic is deliveryWorkerRoute (functions/routes/delivery-worker.ts).
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { deliveryWorkerRoute } from "../routes/delivery-worker.js";
import { getDeps } from "../wiring.js";

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  return deliveryWorkerRoute(await getDeps())(event);
}
