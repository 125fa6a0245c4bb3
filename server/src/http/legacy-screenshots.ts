import { z } from "zod";
import type { Rejection, UploadFile } from "../batches/submit";
import { sniffImageType } from "../batches/sniff";

/**
 * The original clients' screenshots: the admin page sends each as a data URL
 * (`data:image/png;base64,…`) or as the bare base64 of the file, the submit page as data URLs.
 * Either way the bytes decide what the file is (the upload checks sniff them); the declared type
 * only names the file.
 */

const optionalText = (max: number) =>
  z.preprocess(
    (v) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : typeof v === "string" ? v.trim() : v),
    z.string().max(max).optional(),
  );

/** The submit page sends `isAdminUpload` as a boolean or its text; the token, not the flag, decides the role. */
const flag = z.preprocess(
  (v) => (v === "true" ? true : v === "false" || v === null || v === "" ? false : v),
  z.boolean({ error: "isAdminUpload: expected true or false" }).optional(),
);

export const legacyBodySchema = z.object({
  screenshots: z
    .array(z.unknown(), { error: "screenshots: expected an array of data URLs or base64 strings" })
    .min(1, "screenshots: send at least one screenshot"),
  url: z.preprocess((v) => (v === null || v === "" ? undefined : v), z.url({ error: "url: expected a URL" }).max(2_000).optional()),
  description: optionalText(5_000),
  /** The karaoke company the screenshots are from: the company of every show whose image names none. */
  vendor: optionalText(200),
  isAdminUpload: flag,
  maxConcurrentWorkers: z.unknown().optional(),
});

export type LegacyBody = z.infer<typeof legacyBodySchema>;

const EXTENSIONS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/jpg": "jpg",
  "image/webp": "webp",
  "image/gif": "gif",
};
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

type Decoded = { ok: true; bytes: Uint8Array; declaredType: string | null } | { ok: false; reason: string };

function decodeBase64(data: string, what: { empty: string; malformed: string }): Decoded {
  const clean = data.replace(/\s+/g, "");
  if (clean === "") return { ok: false, reason: what.empty };
  if (!BASE64.test(clean) || clean.length % 4 === 1) return { ok: false, reason: what.malformed };
  return { ok: true, bytes: Buffer.from(clean, "base64"), declaredType: null };
}

/** A `data:<type>;base64,<data>` URL or bare base64 into bytes. */
export function decodeScreenshot(value: unknown): Decoded {
  if (typeof value !== "string") return { ok: false, reason: "not a string: expected a data URL or base64 image data" };
  if (!value.startsWith("data:")) {
    if (/^\s*[a-z][a-z0-9+.-]*:/i.test(value))
      return { ok: false, reason: "neither a data URL (data:image/...;base64,...) nor base64 image data" };
    return decodeBase64(value, { empty: "empty base64 data", malformed: "the base64 is malformed" });
  }
  const comma = value.indexOf(",");
  const params = comma < 0 ? [] : value.slice(5, comma).split(";");
  if (params.length < 2 || params.at(-1)?.toLowerCase() !== "base64") return { ok: false, reason: "not a base64 data URL" };
  const decoded = decodeBase64(value.slice(comma + 1), { empty: "empty data URL", malformed: "the data URL's base64 is malformed" });
  return decoded.ok ? { ...decoded, declaredType: (params[0] || "").toLowerCase() || null } : decoded;
}

/** Decodes every screenshot on its own: a bad one is named with its reason, the rest go on. */
export async function readScreenshots(screenshots: unknown[]): Promise<{ files: UploadFile[]; refused: Rejection[] }> {
  const files: UploadFile[] = [];
  const refused: Rejection[] = [];
  for (const [i, value] of screenshots.entries()) {
    const decoded = decodeScreenshot(value);
    const base = `screenshot-${i + 1}`;
    if (!decoded.ok) {
      refused.push({ fileName: base, reason: decoded.reason });
      continue;
    }
    // Bare base64 declares nothing: its name takes the type its bytes show, if any.
    const sniffed = decoded.declaredType ? null : await sniffImageType(decoded.bytes);
    const type = decoded.declaredType ?? (sniffed?.ok ? sniffed.mimeType : null);
    files.push({ name: `${base}.${(type && EXTENSIONS[type]) ?? "img"}`, bytes: decoded.bytes });
  }
  return { files, refused };
}
