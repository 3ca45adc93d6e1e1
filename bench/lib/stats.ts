/** Latency summaries and a bounded-concurrency loop shared by the benchmarks. */
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export function percentiles(ms: number[]): { p50: number; p95: number; p99: number; max: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => Math.round(percentile(sorted, p) ?? NaN);
  return { p50: at(50), p95: at(95), p99: at(99), max: Math.round(sorted.at(-1) ?? NaN) };
}

/** Runs task(0..count-1) with at most `limit` in flight. */
export async function inParallel<T>(count: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

export const perSecond = (count: number, ms: number) => Math.round((count / (ms / 1000)) * 100) / 100;
