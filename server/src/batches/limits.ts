import type { Settings } from "../settings/schema";

export interface UploadLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxBatchBytes: number;
}

/** Upload limits: a singer's phone submission is small; an admin drops in hundreds. */
export const UPLOAD_LIMITS = {
  user: { maxFiles: 10, maxFileBytes: 10 * 1024 * 1024, maxBatchBytes: 40 * 1024 * 1024 },
  admin: { maxFiles: 500, maxFileBytes: 20 * 1024 * 1024, maxBatchBytes: 1024 * 1024 * 1024 },
} as const satisfies Record<string, UploadLimits>;

export type Role = keyof typeof UPLOAD_LIMITS;

/** Room for the multipart boundaries and the text fields around the files. */
const FORM_OVERHEAD = 1024 * 1024;

/** The most a role's whole upload body may hold: its batch limit and the form around it. */
export const uploadBodyLimit = (role: Role) => UPLOAD_LIMITS[role].maxBatchBytes + FORM_OVERHEAD;

/** A role's limits once the settings apply: a user's file count follows `userMaxFiles`. */
export function uploadLimits(role: Role, settings: Pick<Settings, "userMaxFiles">): UploadLimits {
  return role === "user" ? { ...UPLOAD_LIMITS.user, maxFiles: settings.userMaxFiles } : { ...UPLOAD_LIMITS.admin };
}

/** The most pixels an image may have: past it, decoding alone would take gigabytes (a decompression bomb). */
export const MAX_INPUT_PIXELS = 100_000_000;

export const ACCEPTED_TYPES: Record<string, string> = {
  "image/jpeg": "JPEG",
  "image/png": "PNG",
  "image/webp": "WebP",
  "image/gif": "GIF",
};
