import { router } from "../trpc";
import { authRouter } from "./auth";
import { batchRouter } from "./batch";
import { catalogRouter } from "./catalog";
import { engineRouter } from "./engine";
import { reportRouter } from "./report";
import { reviewRouter } from "./review";
import { settingsRouter } from "./settings";

export const appRouter = router({
  auth: authRouter,
  batch: batchRouter,
  catalog: catalogRouter,
  engine: engineRouter,
  report: reportRouter,
  review: reviewRouter,
  settings: settingsRouter,
});

export type AppRouter = typeof appRouter;
