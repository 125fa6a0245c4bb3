import { EmbeddedPostgresUnreachable } from "@showscan/db";
import { Command, InvalidArgumentError, Option, type CommanderError } from "commander";
import { loadEnv, EnvError, type Env } from "../env";
import { createLogger } from "../logger";
import type { AnalyzeOptions } from "./analyze";
import type { ExportOptions } from "./export";
import type { FollowOptions } from "./follow";
import { EXIT, UsageError } from "./errors";
import type { ReportOptions } from "./report";
import type { TokenOptions } from "./token";

// Each command loads its code when it runs: the service (database, worker pool, sharp) takes
// seconds to import, and `token` or `--help` need none of it.

const program = new Command("showscan")
  .description("Karaoke schedule screenshots in, show listings out.")
  // Bad options and arguments are usage errors: exit 2, as for an unreadable file.
  .exitOverride((error: CommanderError) => process.exit(error.exitCode === 0 ? 0 : EXIT.usage));

program
  .command("serve")
  .description("run the API, the WebSocket progress stream and the web UI")
  .action(async () => run((await import("./serve")).serveCommand));
program
  .command("migrate")
  .description("apply the database migrations and exit")
  .action(async () => run((await import("./migrate")).migrateCommand));

program
  .command("token")
  .description("print a bearer token signed with the service's secret (JWT_SECRET, or the one generated in DATA_DIR)")
  .addOption(new Option("--role <role>", "what the token may do").choices(["admin", "user"]).makeOptionMandatory())
  .requiredOption("--sub <name>", "who the token is for (the owner of the batches it starts)")
  .option("--expires <period>", "how long it stays valid, e.g. 12h, 30d, 1w", "30d")
  .action((opts: TokenOptions) => exitWith(async () => (await import("./token")).tokenCommand(opts)));

program
  .command("analyze")
  .description("analyse screenshots: upload them, follow the progress live, print the merged shows")
  .argument("<paths...>", "image files, or folders whose image files are taken (not recursively)")
  .addOption(
    new Option(
      "-w, --workers <n>",
      "images in flight at once, 1-5, or auto to choose from the measured latency and rate limit (admin option)",
    ).argParser(parseWorkers),
  )
  .addOption(new Option("-m, --mode <mode>", "parallel, or one image at a time (admin option)").choices(["parallel", "sequential"]))
  .option("--url <url>", "where the screenshots come from (stored as the batch's source URL)")
  .option("--description <text>", "a note stored with the batch")
  .option("--server <url>", "a running showscan server (default: start one in this process on the embedded database)")
  .option("--token <token>", "bearer token for the server (default with --server: $SHOWSCAN_TOKEN)")
  .option("--json <file>", "also write { batch, results, images } to FILE as JSON")
  .addOption(reconnectTimeoutOption())
  .addHelpText(
    "after",
    "\nExit codes: 0 the batch completed, 1 it failed or was cancelled (or the server stayed away past --reconnect-timeout), 2 usage error (bad option, unreadable file, server unreachable).",
  )
  .action((paths: string[], opts: AnalyzeOptions) => exitWith(async () => (await import("./analyze")).analyzeCommand(paths, opts)));

program
  .command("follow")
  .description("follow a running batch's progress from its current state, then print its summary and merged shows")
  .argument("<batchId>", "the batch to follow (analyze prints it)")
  .option("--server <url>", "a running showscan server (default: start one in this process on the embedded database)")
  .option("--token <token>", "bearer token for the server (default with --server: $SHOWSCAN_TOKEN)")
  .option("--json <file>", "also write { batch, results, images } to FILE as JSON")
  .addOption(reconnectTimeoutOption())
  .addHelpText("after", "\nExit codes: 0 the batch completed, 1 it failed or was cancelled, 2 usage error.")
  .action((batchId: string, opts: FollowOptions) => exitWith(async () => (await import("./follow")).followCommand(batchId, opts)));

program
  .command("export")
  .description("write a batch's merged shows, or the catalog's approved shows, as CSV or JSON")
  .option("--batch <id>", "the batch whose merged shows to export")
  .option("--catalog", "export the catalog: every approved show")
  .addOption(new Option("-f, --format <format>", "file format").choices(["csv", "json"]).default("csv"))
  .option("-o, --out <file>", "write to FILE instead of stdout")
  .option("--server <url>", "a running showscan server (default: start one in this process on the embedded database)")
  .option("--token <token>", "bearer token for the server (default with --server: $SHOWSCAN_TOKEN)")
  .action((opts: ExportOptions) => exitWith(async () => (await import("./export")).exportCommand(opts)));

program
  .command("report")
  .description("print the recent history per UTC day (batches, images, success rate, speedup, tokens, cost) and the top error classes")
  .option("--since <when>", "a period back from now (7d: today and the six days before; 12h; 2w) or a date such as 2026-03-01", "7d")
  .option("--json", "print the per-day rows and the per-day error rows as JSON instead")
  .option("--server <url>", "a running showscan server (default: start one in this process on the embedded database)")
  .option(
    "--token <token>",
    "bearer token for the server (default with --server: $SHOWSCAN_TOKEN); a user token reports on its own batches",
  )
  .action((opts: ReportOptions) => exitWith(async () => (await import("./report")).reportCommand(opts)));

function reconnectTimeoutOption(): Option {
  return new Option("--reconnect-timeout <seconds>", "how long to wait for a lost server before exiting 1 (the batch goes on)")
    .argParser((value: string) => {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("a number of seconds above 0");
      return n;
    })
    .default(120);
}

function parseWorkers(value: string): number | "auto" {
  if (value === "auto") return value;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 5) throw new InvalidArgumentError("a whole number from 1 to 5, or auto");
  return n;
}

/** Runs a one-shot command and exits with its code; nothing left open keeps the process alive. */
async function exitWith(command: () => Promise<number>): Promise<never> {
  try {
    process.exit(await command());
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`showscan: ${error.message}\n`);
      process.exit(EXIT.usage);
    }
    process.stderr.write(`showscan: ${explained(error) ?? (error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
    process.exit(EXIT.failed);
  }
}

/** An error that says in its message what to do: printed as that sentence, without a stack. */
const explained = (error: unknown) => (error instanceof EmbeddedPostgresUnreachable ? error.message : null);

async function run(command: (env: ReturnType<typeof loadEnv>, logger: ReturnType<typeof createLogger>) => Promise<void>) {
  let env: Env;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`showscan: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  try {
    await command(env, createLogger(env.LOG_LEVEL));
  } catch (error) {
    const sentence = explained(error);
    if (!sentence) throw error;
    process.stderr.write(`showscan: ${sentence}\n`);
    process.exit(EXIT.failed);
  }
}

await program.parseAsync(process.argv);
