import { EnvError, loadEnv, type Env } from "../env";
import { UsageError } from "./errors";

/**
 * The validated environment; a bad value is a usage error (exit 2) naming the variable.
 * `defaults` apply where the environment says nothing, `overrides` whatever it says.
 */
export function loadCliEnv(overrides: Record<string, string> = {}, defaults: Record<string, string> = {}): Env {
  try {
    return loadEnv({ ...defaults, ...process.env, ...overrides });
  } catch (error) {
    if (error instanceof EnvError) throw new UsageError(error.message);
    throw error;
  }
}
