import { describeEngine } from "../../engines/describe";
import { protectedProcedure, router } from "../trpc";

export const engineRouter = router({
  /** Which engine this server reads new batches with, for the web app's header. */
  current: protectedProcedure.query(({ ctx }) => describeEngine(ctx.services.engine)),
});
