import { z } from "zod";
import { approveItems, editItem, rejectItems } from "../../review/decide";
import { adminProcedure, router } from "../trpc";

const itemIds = z.object({ itemIds: z.array(z.uuid()).min(1).max(500) });

/** Admins decide on a batch's merged items; each decision is recorded with who and when. */
export const reviewRouter = router({
  approve: adminProcedure.input(itemIds).mutation(({ ctx, input }) => approveItems(ctx.services.db, ctx.user.sub, input.itemIds)),

  reject: adminProcedure.input(itemIds).mutation(({ ctx, input }) => rejectItems(ctx.services.db, ctx.user.sub, input.itemIds)),

  /** `fields` are the item's own field names; they are checked against the item's kind. */
  edit: adminProcedure
    .input(z.object({ itemId: z.uuid(), fields: z.record(z.string(), z.unknown()) }))
    .mutation(({ ctx, input }) => editItem(ctx.services.db, ctx.user.sub, input.itemId, input.fields)),
});
