import { fileTypeFromBuffer } from "file-type";
import { ACCEPTED_TYPES } from "./limits";

/** The file's real type from its bytes; the name and the declared type are not trusted. */
export async function sniffImageType(bytes: Uint8Array): Promise<{ ok: true; mimeType: string } | { ok: false; reason: string }> {
  if (bytes.byteLength === 0) return { ok: false, reason: "the file is empty" };
  const type = await fileTypeFromBuffer(bytes);
  if (!type) return { ok: false, reason: "not an image: the file's content matches no known format" };
  if (!ACCEPTED_TYPES[type.mime])
    return { ok: false, reason: `unsupported format ${type.ext.toUpperCase()} (${type.mime}); send JPEG, PNG, WebP or GIF` };
  return { ok: true, mimeType: type.mime };
}
