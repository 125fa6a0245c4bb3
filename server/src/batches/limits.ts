/** Upload limits: a singer's phone submission is small; an admin drops in hundreds. */
export const UPLOAD_LIMITS = {
  user: { maxFiles: 10, maxFileBytes: 10 * 1024 * 1024, maxBatchBytes: 40 * 1024 * 1024 },
  admin: { maxFiles: 500, maxFileBytes: 20 * 1024 * 1024, maxBatchBytes: 1024 * 1024 * 1024 },
} as const;

export type Role = keyof typeof UPLOAD_LIMITS;
export type UploadLimits = (typeof UPLOAD_LIMITS)[Role];

export const ACCEPTED_TYPES: Record<string, string> = {
  "image/jpeg": "JPEG",
  "image/png": "PNG",
  "image/webp": "WebP",
  "image/gif": "GIF",
};
