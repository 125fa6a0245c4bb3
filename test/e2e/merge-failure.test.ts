import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBatchMetrics, listMergedItems } from "../../db/src/index";
import type { Engine } from "../../server/src/engines/types";
import type { Extraction } from "../../server/src/extraction/schema";
import { distinctImages } from "../support/images";
import { startService, testTokens, waitForBatch, type TestService } from "../support/harness";
import { createClient, uploadForm } from "../support/trpc-client";

/** An engine whose answer the merge cannot read: a show with an empty venue name. */
const unreadable: Engine = {
  name: "broken",
  model: null,
  analyze: async () => ({
    extraction: { shows: [{ venueName: "" }], venues: [], djs: [], vendors: [] } as unknown as Extraction,
    usage: { promptTokens: null, outputTokens: null, model: null, httpStatus: null },
  }),
};

describe("a batch whose results cannot be merged", () => {
  let service: TestService;
  let admin: ReturnType<typeof createClient>;

  beforeAll(async () => {
    service = await startService({ engine: unreadable, listen: true });
    admin = createClient(service.url!, await testTokens.sign({ sub: "merge-admin", role: "admin" }));
  });
  afterAll(async () => {
    await admin?.close();
    await service?.close();
  });

  it("still ends, with its figures, and says why its results are missing", async () => {
    const { batchId } = await admin.client.batch.analyze.mutate(uploadForm(await distinctImages(2, "unmergeable")));
    const batch = await waitForBatch(service, batchId, 20_000);
    expect(batch.status).toBe("completed");
    expect(batch.error).toMatch(/^the results could not be merged: /);
    expect(await getBatchMetrics(service.db, batchId)).toMatchObject({ attempts: 2 });
    expect(await listMergedItems(service.db, batchId)).toEqual([]);
  });
});
