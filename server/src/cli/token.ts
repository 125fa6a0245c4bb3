import path from "node:path";
import { loadJwtSecret } from "../auth/secret";
import { createTokens, type Role } from "../auth/tokens";
import { EXIT, UsageError } from "./errors";
import { loadCliEnv } from "./load-env";

export interface TokenOptions {
  role: Role;
  sub: string;
  expires: string;
}

/** `showscan token`: a bearer token signed with the service's secret (JWT_SECRET, or the one in DATA_DIR). */
export async function tokenCommand(opts: TokenOptions): Promise<number> {
  const sub = opts.sub.trim();
  if (!sub) throw new UsageError("--sub must not be empty");
  const env = loadCliEnv();
  const { secret, created } = loadJwtSecret(env);
  if (created) {
    process.stderr.write(
      `showscan: generated a new JWT secret in ${path.resolve(env.DATA_DIR, "jwt-secret")}; a server using this DATA_DIR accepts the token\n`,
    );
  }
  let token: string;
  try {
    token = await createTokens(secret).sign({ sub, role: opts.role }, opts.expires);
  } catch {
    throw new UsageError(`--expires ${opts.expires}: not a period; use for example 30d, 12h, 90m or 1w`);
  }
  process.stdout.write(`${token}\n`);
  return EXIT.ok;
}
