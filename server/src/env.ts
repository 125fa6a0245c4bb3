import { z } from "zod";

export const DEFAULT_GEMINI_MODEL = "gemini-2.5-flash";

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Every environment variable the service reads, validated once at start-up. */
export const envSchema = z
  .object({
    PORT: int(0, 65535).default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    DATA_DIR: z.string().min(1).default(".data"),
    GEMINI_API_KEY: z.string().min(1).optional(),
    GEMINI_BASE_URL: z.url().optional(),
    GEMINI_MODEL: z.string().min(1).default(DEFAULT_GEMINI_MODEL),
    ENGINE: z.enum(["gemini", "offline"]).optional(),
    JWT_SECRET: z.string().min(32, "JWT_SECRET must be at least 32 characters").optional(),
    GEMINI_RPM: int(1, 100_000).optional(),
    MAX_CONCURRENCY: int(1, 256).default(16),
    /** Event-loop delay (p99 over a second) above which fewer images are kept in flight (default: 200). */
    OVERLOAD_LAG_MS: int(10, 60_000).optional(),
    /** Resident memory above which fewer images are kept in flight (default: 3/4 of the machine's or container's). */
    MAX_RSS_MB: int(64, 4_194_304).optional(),
    IMAGE_TIMEOUT_MS: int(1_000, 600_000).default(30_000),
    MAX_RETRIES: int(0, 10).default(3),
    /** On SIGTERM, how long requests already at the engine may take to answer before they are handed back. */
    SHUTDOWN_GRACE_MS: int(0, 600_000).default(8_000),
    /** Worker threads for image preparation and OCR (default: one per core). */
    WORKER_THREADS: int(1, 64).optional(),
    /** An idle worker thread exits after this long, down to one (0: all stay up). */
    WORKER_IDLE_MS: int(0, 86_400_000).default(600_000),
    /** Heap limit of each worker thread in MB (default: Node's). */
    WORKER_MAX_HEAP_MB: int(64, 65_536).optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .transform((env) => ({ ...env, ENGINE: env.ENGINE ?? (env.GEMINI_API_KEY ? "gemini" : "offline") }))
  .refine((env) => env.ENGINE !== "gemini" || env.GEMINI_API_KEY, {
    message: "ENGINE=gemini needs GEMINI_API_KEY",
    path: ["GEMINI_API_KEY"],
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  override name = "EnvError";
}

/** Reads the environment; a bad value stops start-up with every problem named. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = envSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "environment"}: ${i.message}`);
  throw new EnvError(`invalid configuration:\n${lines.join("\n")}`);
}
