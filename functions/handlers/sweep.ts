// Lambda entry of the catch-up sweep (spec §7), run by the schedule: deps built once per cold start.
import { sweepDeps } from "../compose/sweep-deps.js";
import { lambdaEntry } from "../compose/lambda-entry.js";
import { sweepRoute } from "../routes/sweep.js";

export const handler = lambdaEntry(sweepDeps, sweepRoute);
