import { uploadLimits } from "../../batches/limits";
import { settingsPatchSchema } from "../../settings/schema";
import { adminProcedure, protectedProcedure, router } from "../trpc";

export const settingsRouter = router({
  get: adminProcedure.query(({ ctx }) => ctx.services.settings.get()),

  update: adminProcedure.input(settingsPatchSchema).mutation(async ({ ctx, input }) => {
    const updated = await ctx.services.settings.update(input);
    ctx.services.logger.info({ by: ctx.user.sub, changed: input }, "settings updated");
    return updated;
  }),

  /** The caller's upload limits once the settings apply, for the submit page to state. */
  limits: protectedProcedure.query(async ({ ctx }) => uploadLimits(ctx.user.role, await ctx.services.settings.get())),
});
