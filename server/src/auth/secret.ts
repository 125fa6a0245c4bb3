import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * JWT_SECRET when set; otherwise the secret generated into DATA_DIR on the first start, so
 * tokens stay valid across restarts. `created` tells the caller to print a first admin token.
 */
export function loadJwtSecret(env: { JWT_SECRET?: string; DATA_DIR: string }): { secret: string; created: boolean } {
  if (env.JWT_SECRET) return { secret: env.JWT_SECRET, created: false };
  const file = path.join(env.DATA_DIR, "jwt-secret");
  if (existsSync(file)) return { secret: readFileSync(file, "utf8").trim(), created: false };
  mkdirSync(env.DATA_DIR, { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { secret, created: true };
}
