import { TRPCError } from "@trpc/server";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { z } from "zod";
import { BATCH_MODES } from "@showscan/db";
import type { User } from "../auth/tokens";
import { describeIssues } from "../zod-issues";
import type { SubmitOptions } from "./submit";

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
 * Reads the text fields of a `batch.analyze` upload into the batch's options; workers, mode,
 * priority and skipCache are admin options, workers and mode left unset for the settings' defaults.
 */
export function analyzeOptions(fields: Record<string, string>, user: User): SubmitOptions {
  const text = (name: string) => {
    const value = fields[name];
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
  const options = parsed.data;
  if (user.role !== "admin" && (options.workers !== undefined || options.mode !== undefined || options.priority !== undefined)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "workers, mode and priority are admin options" });
  }
  if (user.role !== "admin" && options.skipCache) {
    throw new TRPCError({ code: "FORBIDDEN", message: "skipCache is an admin option" });
  }
  return options;
}

/**
 * The input of `batch.analyze`: clients send FormData (so that is the type they see), and the
 * server receives its body as a stream, read one file at a time (the HTTP layer hands tRPC a
 * multipart upload as application/octet-stream so that tRPC does not buffer it whole).
 */
export const streamedForm: StandardSchemaV1<FormData, ReadableStream<Uint8Array>> = {
  "~standard": {
    version: 1,
    vendor: "showscan",
    validate: (value) =>
      value instanceof ReadableStream
        ? { value: value as ReadableStream<Uint8Array> }
        : { issues: [{ message: "send the upload as multipart/form-data with the images under 'images'" }] },
  },
};
