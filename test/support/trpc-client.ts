export { createApiClient as createClient } from "../../server/src/api-client";

export function uploadForm(files: { name: string; bytes: Uint8Array }[], fields: Record<string, string | number> = {}): FormData {
  const form = new FormData();
  for (const file of files) form.append("images", new File([Buffer.from(file.bytes)], file.name));
  for (const [key, value] of Object.entries(fields)) form.append(key, String(value));
  return form;
}
