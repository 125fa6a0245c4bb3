import type { FakeGemini } from "../../support/fake-gemini";
import { MODEL, type BenchService } from "../bench-service";
import { fakeWall } from "../ideal";
import type { BenchImage } from "../images";

export interface BaselineResult {
  workers: number;
  images: number;
  requests: number;
  succeeded: number;
  /** First request arrival at the fake -> last response written, ms (the same definition as part 1). */
  wallMs: number;
}

/**
 * Part 2: the original parser's scheduling. Groups of `workers` images, each group prepared in
 * the same worker pool and sent through the same Gemini engine (SDK) to the same fake, and the
 * next group starts only when the slowest of this one has answered. No database writes.
 */
export async function measureBaseline(
  service: BenchService,
  fake: FakeGemini,
  images: BenchImage[],
  workers: number,
): Promise<BaselineResult> {
  fake.reset();
  let succeeded = 0;
  for (let i = 0; i < images.length; i += workers) {
    await Promise.all(
      images.slice(i, i + workers).map(async (image) => {
        const signal = new AbortController().signal;
        const prepared = await service.pool.prepare({ bytes: new Uint8Array(image.bytes) }, signal);
        if (!prepared.ok) return;
        const image_ = { bytes: prepared.bytes, mimeType: prepared.mimeType, fileName: image.name, model: MODEL };
        // A failed call fails that image only, as in the original parser.
        if (
          await service.engine.analyze(image_, signal).then(
            () => true,
            () => false,
          )
        )
          succeeded++;
      }),
    );
  }
  return { workers, images: images.length, requests: fake.served.length, succeeded, wallMs: fakeWall(fake.served) };
}
