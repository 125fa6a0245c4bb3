import { readFile } from "node:fs/promises";

/**
 * Another process's memory as the kernel counts it, for the parts that run `showscan serve` as
 * its own OS process: its resident set (worker threads included) and nothing of the benchmark's.
 */

/** A field of /proc/<pid>/status in kB ("VmRSS:   123456 kB"). */
export async function statusKb(pid: number, field: "VmRSS" | "VmHWM"): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const match = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]);
}

export interface RssSampler {
  /** Stops sampling; resolves with the highest VmRSS sample in kB (the first sample included). */
  stop(): Promise<number>;
}

/** Reads a process's VmRSS every `everyMs` until stopped, starting from `firstKb`. */
export function sampleRss(pid: number, everyMs: number, firstKb: number): RssSampler {
  let sampling = true;
  let peak = firstKb;
  // Held until stop() so a process that vanished mid-run fails the part, not the whole benchmark as an unhandled rejection.
  const loop = (async () => {
    while (sampling) {
      peak = Math.max(peak, await statusKb(pid, "VmRSS"));
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })().then(
    () => null,
    (error: unknown) => error,
  );
  return {
    async stop() {
      sampling = false;
      const error = await loop;
      if (error !== null) throw error;
      return peak;
    },
  };
}

export const mbOfKb = (kb: number) => kb / 1024;
