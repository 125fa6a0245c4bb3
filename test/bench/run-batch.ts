import { getBatch, type BatchRow } from "../../db/src/index";
import type { SubmitInput } from "../../server/src/batches/submit";
import type { FakeGemini, Served } from "../support/fake-gemini";
import type { BenchService } from "./bench-service";
import { waitForFinalBatch } from "./bench-service";

export interface BatchRun {
  batch: BatchRow;
  /** Submit called -> the benchmark saw the batch final, ms. */
  e2eMs: number;
  /** What the fake recorded during the run. */
  served: Served[];
}

/** The window size a submission asks for: a number, or "auto" where the build accepts it. */
export type Workers = number | "auto";
/** `"auto"` when this build's SubmitInput takes it, else `never` (and the build's own check refuses it at run time). */
type AutoWorkers = "auto" extends SubmitInput["workers"] ? "auto" : never;

/** Submits the files (always analysed afresh, never from the answer cache) and waits for the batch to be final. */
export async function runBatch(service: BenchService, fake: FakeGemini, files: SubmitInput["files"], workers: Workers): Promise<BatchRun> {
  fake.reset();
  const started = performance.now();
  const input: SubmitInput = { owner: "bench", files, mode: "parallel", skipCache: true };
  const { batchId } = await service.app.submit({ ...input, workers: workers === "auto" ? ("auto" as AutoWorkers) : workers }, "admin");
  const batch = await waitForFinalBatch(service.db, batchId, 15 * 60_000);
  const e2eMs = performance.now() - started;
  return { batch, e2eMs, served: [...fake.served] };
}

/**
 * Runs with `workers: "auto"`, or returns null when this build does not take it: either the
 * submission is refused, or the stored batch does not say it is automatic.
 */
export async function runAutoBatch(service: BenchService, fake: FakeGemini, files: SubmitInput["files"]): Promise<BatchRun | null> {
  let run: BatchRun;
  try {
    run = await runBatch(service, fake, files, "auto");
  } catch {
    return null;
  }
  const stored = await getBatch(service.db, run.batch.id);
  return stored?.workersAuto ? run : null;
}
