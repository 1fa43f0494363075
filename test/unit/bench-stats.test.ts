// The benchmark's statistics (bench/stats.ts): nearest-rank percentiles report a value some request really saw,
// so a p99 over 100 samples is the second-largest, never an interpolation.
import { describe, expect, it } from "vitest";
import { median, percentile, ratio, round, summarize } from "../../bench/stats.js";

const ONE_TO_HUNDRED = Array.from({ length: 100 }, (_, i) => 100 - i);

describe("percentile", () => {
  it("takes the nearest rank of the sorted samples, whatever their order", () => {
    expect([50, 95, 99, 100].map((p) => percentile(ONE_TO_HUNDRED, p))).toEqual([50, 95, 99, 100]);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([10, 20], 50)).toBe(10);
    expect(percentile([10, 20], 51)).toBe(20);
  });

  it("answers with a sample for tiny sets: p99 of ten samples is the largest", () => {
    expect(percentile([5, 1, 9, 3, 7, 2, 8, 4, 6, 10], 99)).toBe(10);
    expect(percentile([42], 1)).toBe(42);
  });

  it("refuses an empty set and a percentile outside (0, 100]", () => {
    expect(() => percentile([], 50)).toThrow("percentile of no values");
    expect(() => percentile([1], 0)).toThrow("outside (0, 100]");
    expect(() => percentile([1], 101)).toThrow("outside (0, 100]");
  });

  it("leaves the caller's array as it was", () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });
});

describe("summaries", () => {
  it("summarizes to hundredths of a millisecond", () => {
    expect(summarize([1.234, 2.345, 3.456, 4.567])).toEqual({
      n: 4,
      p50: 2.35,
      p95: 4.57,
      p99: 4.57,
      mean: 2.9,
      max: 4.57,
    });
    expect(median([4, 1, 3, 2])).toBe(2);
  });

  it("rounds to the given decimals and gives no ratio to zero", () => {
    expect([round(2.3449), round(0.16, 1), round(41.66666, 1)]).toEqual([2.34, 0.2, 41.7]);
    expect([ratio(1, 4), ratio(2, 3), ratio(1, 0)]).toEqual([0.25, 0.67, undefined]);
  });
});
