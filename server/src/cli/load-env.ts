import { EnvError, loadEnv, type Env } from "../env";
import { UsageError } from "./errors";

/** The validated environment; a bad value is a usage error (exit 2) naming the variable. */
export function loadCliEnv(overrides: Record<string, string> = {}): Env {
  try {
    return loadEnv({ ...process.env, ...overrides });
  } catch (error) {
    if (error instanceof EnvError) throw new UsageError(error.message);
    throw error;
  }
}
