import type { Env } from "../env";
import type { Logger } from "../logger";
import { openDatabase } from "../runtime";

export async function migrateCommand(env: Env, logger: Logger): Promise<void> {
  const database = await openDatabase(env, logger);
  logger.info("migrations applied");
  await database.stop();
}
