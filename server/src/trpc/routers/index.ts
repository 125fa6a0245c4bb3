import { router } from "../trpc";
import { batchRouter } from "./batch";

export const appRouter = router({
  batch: batchRouter,
});

export type AppRouter = typeof appRouter;
