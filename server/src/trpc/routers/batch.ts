import { tracked } from "@trpc/server";
import { z } from "zod";
import { BATCH_MODES, BATCH_STATUSES } from "@showscan/db";
import { findVisibleBatch } from "../../batches/access";
import { analyzeBatch } from "../../batches/analyze";
import { cancelBatch, prioritizeBatch, retryFailedImages } from "../../batches/commands";
import { streamProgress } from "../../batches/progress-stream";
import { prioritySchema, streamedForm, workersSchema } from "../../batches/form";
import { rerunBatch } from "../../batches/rerun";
import { analyzeSamples, sampleNames } from "../../batches/samples";
import { batchDetail, batchImages, batchPage, batchResults } from "../../batches/views";
import { withImageUrls } from "../../images/urls";
import { cursorSchema } from "../cursor";
import { adminProcedure, protectedProcedure, router } from "../trpc";

const byId = z.object({ batchId: z.uuid() });

export const batchRouter = router({
  analyze: protectedProcedure
    .input(streamedForm)
    .mutation(({ ctx, input }) => analyzeBatch(ctx.services, ctx.user, { body: input, contentType: ctx.uploadContentType })),

  /** The shipped sample screenshots, for the first-run demo. */
  samples: protectedProcedure.query(async ({ ctx }) => ({ names: await sampleNames(ctx.services.samplesDir) })),

  analyzeSamples: protectedProcedure.mutation(({ ctx }) => analyzeSamples(ctx.services, ctx.user)),

  onProgress: protectedProcedure
    .input(byId.extend({ lastEventId: z.coerce.number().int().min(-1).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      await findVisibleBatch(ctx.services.db, ctx.user, input.batchId);
      for await (const { seq, progress } of streamProgress(ctx.services, input.batchId, input.lastEventId ?? null, signal)) {
        yield tracked(String(seq), progress);
      }
    }),

  byId: protectedProcedure
    .input(byId)
    .query(async ({ ctx, input }) => batchDetail(ctx.services.db, await findVisibleBatch(ctx.services.db, ctx.user, input.batchId))),

  list: protectedProcedure
    .input(
      z.object({
        status: z.array(z.enum(BATCH_STATUSES)).optional(),
        createdAfter: z.coerce.date().optional(),
        createdBefore: z.coerce.date().optional(),
        /** Admins may list one owner's batches; users always see only their own. */
        owner: z.string().optional(),
        cursor: cursorSchema("batch.list").nullish(),
        limit: z.number().int().min(1).max(100).default(20),
      }),
    )
    .query(({ ctx, input }) =>
      batchPage(ctx.services.db, {
        ...input,
        cursor: input.cursor ?? undefined,
        owner: ctx.user.role === "admin" ? input.owner : ctx.user.sub,
      }),
    ),

  images: protectedProcedure.input(byId).query(async ({ ctx, input }) => {
    await findVisibleBatch(ctx.services.db, ctx.user, input.batchId);
    return withImageUrls(ctx.services.imageLinks, ctx.user, await batchImages(ctx.services.db, input.batchId));
  }),

  results: protectedProcedure
    .input(byId)
    .query(async ({ ctx, input }) => batchResults(ctx.services.db, await findVisibleBatch(ctx.services.db, ctx.user, input.batchId))),

  cancel: protectedProcedure.input(byId).mutation(async ({ ctx, input }) => {
    await findVisibleBatch(ctx.services.db, ctx.user, input.batchId);
    return cancelBatch(ctx.services, input.batchId);
  }),

  rerun: adminProcedure
    .input(byId.extend({ mode: z.enum(BATCH_MODES), workers: workersSchema.optional() }))
    .mutation(async ({ ctx, input }) =>
      rerunBatch(ctx.services, ctx.user, await findVisibleBatch(ctx.services.db, ctx.user, input.batchId), input),
    ),

  /** Moves a batch ahead of others (higher first); users' submissions start at 1, admin batches at 0. */
  setPriority: adminProcedure.input(byId.extend({ priority: prioritySchema })).mutation(async ({ ctx, input }) => {
    await findVisibleBatch(ctx.services.db, ctx.user, input.batchId);
    return prioritizeBatch(ctx.services, input.batchId, input.priority);
  }),

  retryFailed: protectedProcedure.input(byId).mutation(async ({ ctx, input }) => {
    await findVisibleBatch(ctx.services.db, ctx.user, input.batchId);
    return retryFailedImages(ctx.services, input.batchId);
  }),
});
