/** Exit codes of the `showscan` commands. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A problem with how the command was called or what it was given (a bad option, an unreadable file, no server): exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
