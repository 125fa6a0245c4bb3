import { TRPCError } from "@trpc/server";
import { findBatchByIdempotencyKey } from "@showscan/db";
import type { Services } from "../services";
import type { User } from "../auth/tokens";
import { readAnalyzeForm } from "./form";
import { overBatchRate } from "./rate-limit";
import { SubmitError } from "./submit";

/**
 * `batch.analyze`: reads the upload, replays an idempotent retry, applies the per-user rate
 * limit (admins are not limited), and submits. Answers with the batch id at once.
 */
export async function analyzeBatch(services: Services, user: User, form: FormData) {
  const input = await readAnalyzeForm(form, user);
  if (input.idempotencyKey) {
    const earlier = await findBatchByIdempotencyKey(services.db, user.sub, input.idempotencyKey);
    if (earlier) return { batchId: earlier.id, totalImages: earlier.totalImages, rejected: [], created: false };
  }
  const settings = await services.settings.get();
  const wait = await overBatchRate(services, user, settings);
  if (wait !== null) throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `too many batches: try again in ${wait} s` });
  try {
    return await services.submit(input, user.role, settings);
  } catch (error) {
    if (error instanceof SubmitError) throw new TRPCError({ code: "BAD_REQUEST", message: error.message, cause: error });
    throw error;
  }
}
