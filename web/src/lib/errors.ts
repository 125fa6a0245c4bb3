import { TRPCClientError } from "@trpc/client";

const codeOf = (error: unknown): string | null =>
  error instanceof TRPCClientError ? ((error.data as { code?: string } | undefined)?.code ?? null) : null;

export const isUnauthorized = (error: unknown) => codeOf(error) === "UNAUTHORIZED";

/** A server or network error in words a person understands. */
export function explainError(error: unknown): string {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case "UNAUTHORIZED":
      return "Your sign-in was refused. Sign in again.";
    case "FORBIDDEN":
      return "This needs an admin account.";
    case "NOT_FOUND":
      return "Not found: it does not exist, or it belongs to someone else.";
    case "TOO_MANY_REQUESTS":
      return `Slow down: ${message}.`;
    case "PAYLOAD_TOO_LARGE":
      return "The upload is too large for your account.";
    case "BAD_REQUEST":
      return message;
    case "INTERNAL_SERVER_ERROR":
      return "The server ran into a problem. Try again in a moment.";
    case null:
      if (error instanceof TRPCClientError || error instanceof TypeError) {
        return "Can't reach the showscan server. Check your connection and try again.";
      }
      return message;
    default:
      return message;
  }
}

/** The files an upload refused, when the server refused the whole upload. */
export function rejectedFiles(error: unknown): { fileName: string; reason: string }[] {
  if (!(error instanceof TRPCClientError)) return [];
  const rejected = (error.data as { rejected?: unknown } | undefined)?.rejected;
  return Array.isArray(rejected) ? (rejected as { fileName: string; reason: string }[]) : [];
}
