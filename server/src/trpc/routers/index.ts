import { router } from "../trpc";
import { authRouter } from "./auth";
import { batchRouter } from "./batch";
import { settingsRouter } from "./settings";

export const appRouter = router({
  auth: authRouter,
  batch: batchRouter,
  settings: settingsRouter,
});

export type AppRouter = typeof appRouter;
