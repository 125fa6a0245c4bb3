import { listImageUploads, type BatchMode, type BatchRow } from "@showscan/db";
import type { User } from "../auth/tokens";
import type { Services } from "../services";
import type { SubmitInput } from "./submit";

/**
 * `batch.rerun`: a new batch of the caller's with the original's stored images (bytes and file
 * names, in order), source and description, run in `mode`, so the two runs' figures compare.
 * It never answers from the cache: a rerun exists to measure a fresh run.
 */
export async function rerunBatch(
  services: Services,
  user: User,
  original: BatchRow,
  options: { mode: BatchMode; workers?: SubmitInput["workers"] | undefined },
) {
  const [uploads, settings] = await Promise.all([listImageUploads(services.db, original.id), services.settings.get()]);
  return services.submit(
    {
      owner: user.sub,
      files: uploads.map((upload) => ({ name: upload.fileName, bytes: upload.content })),
      mode: options.mode,
      workers: options.workers,
      sourceUrl: original.sourceUrl,
      description: original.description,
      rerunOf: original.id,
      skipCache: true,
    },
    user.role,
    settings,
  );
}
