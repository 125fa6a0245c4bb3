import type { ApiClient } from "../../server/src/api-client";

export { createApiClient as createClient } from "../../server/src/api-client";

export function uploadForm(files: { name: string; bytes: Uint8Array }[], fields: Record<string, string | number> = {}): FormData {
  const form = new FormData();
  for (const file of files) form.append("images", new File([Buffer.from(file.bytes)], file.name));
  for (const [key, value] of Object.entries(fields)) form.append(key, String(value));
  return form;
}

/**
 * Follows a batch's progress and keeps each event as it arrives. `ended` settles with the
 * stream's error, or null once it completed, so a failing stream is asserted, never left unhandled.
 */
export function recordProgress(client: ApiClient, batchId: string) {
  const seen: { id: number; processed: number; status: string }[] = [];
  const ended = new Promise<void>((resolve, reject) => {
    client.batch.onProgress.subscribe(
      { batchId },
      {
        onData: ({ id, data }) => seen.push({ id: Number(id), processed: data.processedImages, status: data.status }),
        onComplete: resolve,
        onError: reject,
      },
    );
  }).then(
    () => null,
    (error: unknown) => error,
  );
  return { seen, ended };
}
