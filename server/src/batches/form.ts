import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { BATCH_MODES } from "@showscan/db";
import type { User } from "../auth/tokens";
import { describeIssues } from "../zod-issues";
import type { SubmitInput } from "./submit";

/** A fixed window of 1 to 5 requests at once, or `auto`: chosen from the measured latency and the rate limit. */
export const workersSchema = z.union([z.literal("auto"), z.coerce.number().int().min(1).max(5)]);
export const prioritySchema = z.coerce.number().int().min(0).max(9);

/** The non-file fields of an analyze upload. */
export const analyzeFieldsSchema = z.object({
  sourceUrl: z.url().max(2_000).optional(),
  description: z.string().max(5_000).optional(),
  workers: workersSchema.optional(),
  /** Higher runs first; interactive submissions get 1 (admin option). */
  priority: prioritySchema.optional(),
  mode: z.enum(BATCH_MODES).optional(),
  idempotencyKey: z.string().min(1).max(200).optional(),
  /** "true": analyse every image afresh, reusing no earlier answer (admin). */
  skipCache: z
    .enum(["true", "false"])
    .transform((value) => value === "true")
    .optional(),
});

/**
 * Reads the FormData of `batch.analyze` into a submission; workers, mode and skipCache are admin
 * options, workers and mode left unset for the settings' defaults.
 */
export async function readAnalyzeForm(form: FormData, user: User): Promise<SubmitInput> {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
  };
  const parsed = analyzeFieldsSchema.safeParse({
    sourceUrl: text("sourceUrl"),
    description: text("description"),
    workers: text("workers"),
    priority: text("priority"),
    mode: text("mode"),
    idempotencyKey: text("idempotencyKey"),
    skipCache: text("skipCache"),
  });
  if (!parsed.success) {
    throw new TRPCError({ code: "BAD_REQUEST", message: describeIssues(parsed.error.issues) });
  }
  const fields = parsed.data;
  if (user.role !== "admin" && (fields.workers !== undefined || fields.mode !== undefined || fields.priority !== undefined)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "workers, mode and priority are admin options" });
  }
  if (user.role !== "admin" && fields.skipCache) {
    throw new TRPCError({ code: "FORBIDDEN", message: "skipCache is an admin option" });
  }
  const files = await Promise.all(
    form
      .getAll("images")
      .filter((entry): entry is File => typeof entry !== "string")
      .map(async (file) => ({ name: file.name || "unnamed", bytes: new Uint8Array(await file.arrayBuffer()) })),
  );
  return {
    owner: user.sub,
    files,
    workers: fields.workers,
    priority: fields.priority,
    mode: fields.mode,
    sourceUrl: fields.sourceUrl,
    description: fields.description,
    idempotencyKey: fields.idempotencyKey,
    skipCache: fields.skipCache,
  };
}
