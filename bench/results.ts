// bench/results/latest.json: small enough to commit and diff. Top-level sections are indented; each scenario is
// one line, so a re-run shows as a few changed lines rather than hundreds.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname } from "node:path";
import type { InboundFigures } from "./scenarios/inbound.js";
import type { WebhookFigures } from "./scenarios/webhooks.js";
import type { ProfileShare } from "./profile.js";
import type { Regression } from "./regressions.js";
import type { DeployedBundle } from "./scenarios/bundles.js";
import type { TargetCheck } from "./targets.js";

export interface BenchResults {
  measuredAt: string;
  node: string;
  cpu: string;
  /** 1-minute load average when the run started: other work on the machine skews every figure. */
  loadAverage: number;
  durationSeconds: number;
  method: Record<string, string>;
  targets: TargetCheck[];
  inbound: InboundFigures[];
  webhooks: WebhookFigures[];
  bundles: DeployedBundle[];
  /** Figures more than 20 % worse than the previous bench/results/latest.json. */
  regressions: Regression[];
  /** With --profile: CPU per message by code, sequential known users in the npm start layout. */
  profile?: ProfileShare[];
}

export function machine(): { node: string; cpu: string; loadAverage: number } {
  const cores = cpus();
  return {
    node: process.version,
    cpu: `${cores.length} x ${cores[0]?.model ?? "unknown"}`,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

export function writeResults(file: string, results: BenchResults): void {
  const lines = Object.entries(results).map(([key, value]) => {
    if (Array.isArray(value))
      return `  ${JSON.stringify(key)}: [\n${value.map((item) => `    ${JSON.stringify(item)}`).join(",\n")}\n  ]`;
    if (value !== null && typeof value === "object") {
      const entries = Object.entries(value).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
      return `  ${JSON.stringify(key)}: {\n${entries.join(",\n")}\n  }`;
    }
    return `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`;
  });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `{\n${lines.join(",\n")}\n}\n`);
}
