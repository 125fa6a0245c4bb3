import { TRPCError } from "@trpc/server";
import { getBatch, type BatchRow, type Executor } from "@showscan/db";
import type { User } from "../auth/tokens";

/**
 * The batch if this user may see it. Another user's batch is answered exactly like a batch
 * that does not exist, so ids cannot be probed.
 */
export async function findVisibleBatch(db: Executor, user: User, batchId: string): Promise<BatchRow> {
  const batch = await getBatch(db, batchId);
  if (!batch || (user.role !== "admin" && batch.owner !== user.sub))
    throw new TRPCError({ code: "NOT_FOUND", message: `no batch ${batchId}` });
  return batch;
}
