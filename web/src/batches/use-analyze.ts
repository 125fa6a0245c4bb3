import { safeFileName } from "@showscan/server/file-names";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "../api/trpc";
import type { Rejection } from "../api/types";

export interface AnalyzeFields {
  sourceUrl?: string;
  description?: string;
  /** 1-5, or "auto": chosen from the measured latency and the rate limit. */
  workers?: number | "auto";
  mode?: "parallel" | "sequential";
  /** Admins: analyse every image afresh, even one whose picture was analysed before. */
  skipCache?: true;
}

const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

/** The upload as `batch.analyze` reads it; the idempotency key makes a resent click return the same batch. */
export function analyzeForm(files: File[], fields: AnalyzeFields, idempotencyKey = newKey()): FormData {
  const form = new FormData();
  // The name the server will store, sent as such: a control character in a name would make the
  // whole multipart body unreadable to the server, not just that one file.
  for (const file of files) form.append("images", file, safeFileName(file.name));
  for (const [name, value] of Object.entries(fields)) if (value !== undefined && value !== "") form.append(name, String(value));
  form.append("idempotencyKey", idempotencyKey);
  return form;
}

export function useAnalyze() {
  const trpc = useTRPC();
  return useMutation(trpc.batch.analyze.mutationOptions());
}

/** What an upload refused is only in its answer: kept for the session so a reload still shows it. */
export const rememberRejected = (batchId: string, rejected: Rejection[]) =>
  sessionStorage.setItem(`showscan.rejected.${batchId}`, JSON.stringify(rejected));

export function recallRejected(batchId: string): Rejection[] {
  try {
    return JSON.parse(sessionStorage.getItem(`showscan.rejected.${batchId}`) ?? "[]") as Rejection[];
  } catch {
    return [];
  }
}
