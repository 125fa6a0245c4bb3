import { z } from "zod";
import { WEEKDAYS } from "../../extraction/schema";
import { catalogShowsPage } from "../../catalog/shows";
import { protectedProcedure, router } from "../trpc";

/** The catalog: approved shows, the directory's listings. Every signed-in user may read it. */
export const catalogRouter = router({
  shows: protectedProcedure
    .input(
      z
        .object({
          city: z.string().trim().min(1).optional(),
          dayOfWeek: z.enum(WEEKDAYS).optional(),
          host: z.string().trim().min(1).optional(),
          /** `nextCursor` of the previous page. */
          cursor: z.uuid({ error: "not a cursor from catalog.shows" }).nullish(),
          limit: z.number().int().min(1).max(200).default(50),
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) => catalogShowsPage(ctx.services.db, { ...input, cursor: input.cursor ?? undefined })),
});
