import {
  listModelRates,
  reportBatchRows,
  reportDailyRows,
  reportErrorRows,
  reportSourceRows,
  reportWaitRows,
  reportWeeklyRows,
  setModelRate,
} from "@showscan/db";
import { reportBatchesSchema, reportFilterSchema, scopedFilter } from "../../reports/filter";
import { modelRateSchema } from "../../reports/rates";
import { adminProcedure, protectedProcedure, router } from "../trpc";

/** Rows of the reporting views (db/src/schema.ts) over the caller's own batches, or for admins everyone's. */
export const reportRouter = router({
  batches: protectedProcedure
    .input(reportBatchesSchema)
    .query(({ ctx, input: { limit, ...input } }) => reportBatchRows(ctx.services.db, scopedFilter(ctx.user, input), limit)),
  daily: protectedProcedure
    .input(reportFilterSchema)
    .query(({ ctx, input }) => reportDailyRows(ctx.services.db, scopedFilter(ctx.user, input))),
  weekly: protectedProcedure
    .input(reportFilterSchema)
    .query(({ ctx, input }) => reportWeeklyRows(ctx.services.db, scopedFilter(ctx.user, input))),
  errors: protectedProcedure
    .input(reportFilterSchema)
    .query(({ ctx, input }) => reportErrorRows(ctx.services.db, scopedFilter(ctx.user, input))),
  sources: protectedProcedure
    .input(reportFilterSchema)
    .query(({ ctx, input }) => reportSourceRows(ctx.services.db, scopedFilter(ctx.user, input))),
  waits: protectedProcedure
    .input(reportFilterSchema)
    .query(({ ctx, input }) => reportWaitRows(ctx.services.db, scopedFilter(ctx.user, input))),

  /** The model rates costs are computed with (admin). */
  rates: adminProcedure.query(({ ctx }) => listModelRates(ctx.services.db)),
  /** Adds a rate, or corrects the one with the same model and validFrom; past attempts are re-priced (admin). */
  setRate: adminProcedure.input(modelRateSchema).mutation(async ({ ctx, input }) => {
    const rate = await setModelRate(ctx.services.db, input);
    ctx.services.logger.info({ by: ctx.user.sub, rate }, "model rate set");
    return rate;
  }),
});
