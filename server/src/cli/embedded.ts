import path from "node:path";
import pino from "pino";
import { createRuntime } from "../runtime";
import { loadCliEnv } from "./load-env";

export interface Target {
  url: string;
  token: string;
  /** Set for the in-process service: the database it stops with. */
  embedded?: { dataDir: string };
  close(): Promise<void>;
}

/**
 * The whole service in this process, on the database the environment names (the embedded one
 * under DATA_DIR by default), listening on a free local port so the CLI can use it through the
 * same typed client as a remote server. Logs go to stderr, errors only unless LOG_LEVEL says more.
 */
export async function startEmbeddedService(token: string | undefined): Promise<Target> {
  // The CLI's own output is the progress bar: the service logs only errors unless asked.
  const env = loadCliEnv({ PORT: "0" }, { LOG_LEVEL: "error" });
  const logger = pino({ level: env.LOG_LEVEL, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
  const where = env.DATABASE_URL ? "DATABASE_URL" : `the embedded database in ${path.resolve(env.DATA_DIR)}`;
  process.stderr.write(`⏳ Starting an in-process service on ${where}...\n`);
  const runtime = await createRuntime(env, logger);
  try {
    const { url } = await runtime.app.start({ port: env.PORT, host: "127.0.0.1" });
    if (!url) throw new Error("the in-process service did not start listening");
    const engine = runtime.app.engine;
    process.stderr.write(`   engine: ${engine.name}${engine.model ? ` (${engine.model})` : ""}\n`);
    return {
      url,
      embedded: { dataDir: env.DATABASE_URL ? "DATABASE_URL" : path.resolve(env.DATA_DIR) },
      token: token ?? (await runtime.tokens.sign({ sub: "cli", role: "admin" }, "1d")),
      close: () => runtime.close(),
    };
  } catch (error) {
    await runtime.close().catch(() => {});
    throw error;
  }
}
