import { getHeapStatistics } from "node:v8";
import { describeEngine } from "../engines/describe";
import type { Env } from "../env";
import type { Logger } from "../logger";
import { createRuntime } from "../runtime";

export async function serveCommand(env: Env, logger: Logger): Promise<void> {
  const runtime = await createRuntime(env, logger);
  const { url } = await runtime.app.start({ port: env.PORT, host: env.HOST });
  const engine = describeEngine(runtime.app.engine);
  // The heap limit tells an operator whether the bin's V8 limits applied (see bin/showscan.mjs).
  const heapLimitMb = Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024);
  logger.info({ engine: engine.name, model: engine.model, heapLimitMb }, `showscan listening on ${url}, reading with ${engine.label}`);
  if (engine.hint) logger.info(engine.hint);
  if (runtime.newSecret) {
    // First start: no way to sign in yet, so hand the operator an admin token.
    const token = await runtime.tokens.sign({ sub: "admin", role: "admin" });
    process.stdout.write(
      `\nFirst start: generated a JWT secret in ${env.DATA_DIR}.\nAdmin token: ${token}\nLog in: ${url}/#token=${token}\n\n`,
    );
  }
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info(`${signal}: shutting down`);
    await runtime.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}
