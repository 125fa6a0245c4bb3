import { TRPCClientError } from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../trpc/routers/index";

type Outputs = inferRouterOutputs<AppRouter>;
export type BatchDetail = Outputs["batch"]["byId"];
export type BatchProgress = BatchDetail["progress"];
export type BatchResults = Outputs["batch"]["results"];
export type MergedShow = BatchResults["shows"][number];
export type BatchImage = Outputs["batch"]["images"][number];
export type AnalyzeResult = Outputs["batch"]["analyze"];
export interface Rejection {
  fileName: string;
  reason: string;
}

/** What a failed call says: the server's error code, its message, and any files it refused. */
export function describeError(error: unknown): { code: string | null; message: string; rejected: Rejection[] } {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? error.shape?.data ?? {}) as { code?: string; rejected?: Rejection[] };
    const cause = (error.cause as { cause?: { code?: string } } | undefined)?.cause?.code;
    return { code: data.code ?? cause ?? null, message: error.message, rejected: data.rejected ?? [] };
  }
  return { code: null, message: error instanceof Error ? error.message : String(error), rejected: [] };
}
