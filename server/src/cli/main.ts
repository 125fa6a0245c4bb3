import { Command } from "commander";
import { loadEnv, EnvError } from "../env";
import { createLogger } from "../logger";
import { serveCommand } from "./serve";
import { migrateCommand } from "./migrate";

const program = new Command("showscan").description("Karaoke schedule screenshots in, show listings out.");

program.command("serve").description("run the API, the WebSocket progress stream and the web UI").action(() => run(serveCommand));
program.command("migrate").description("apply the database migrations and exit").action(() => run(migrateCommand));

async function run(command: (env: ReturnType<typeof loadEnv>, logger: ReturnType<typeof createLogger>) => Promise<void>) {
  let env;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`showscan: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  await command(env, createLogger(env.LOG_LEVEL));
}

await program.parseAsync(process.argv);
