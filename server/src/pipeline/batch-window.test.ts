import { describe, expect, it } from "vitest";
import { BatchWindow } from "./batch-window";

const image = (n: number) => ({ imageId: `image-${n}`, attemptNumber: 1 });

function window(workers: number, opts: { refuse?: () => boolean; processRoom?: () => boolean } = {}) {
  const slots: { image: string; release: string | null }[] = [];
  let total = 0;
  const w = new BatchWindow(
    {
      takeSlot: async (img, release) => {
        if (opts.refuse?.()) return false;
        slots.push({ image: img.imageId, release: release?.imageId ?? null });
        return true;
      },
      processHasRoom: opts.processRoom ?? (() => true),
      changed: (delta) => {
        total += delta;
      },
      failed: (error) => {
        throw error;
      },
    },
    workers,
    0,
  );
  return { w, slots, total: () => total };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe("a batch's window in one process", () => {
  it("lets no more than `workers` requests go, and passes an ended request's place to the next in one step", async () => {
    const { w, slots, total } = window(2);
    const signal = new AbortController().signal;
    const entered: (() => void)[] = [];
    for (let n = 1; n <= 4; n++) void w.enter(image(n), signal).then((leave) => entered.push(leave));
    await settle();
    expect(entered).toHaveLength(2);
    expect(total()).toBe(2);
    entered[0]!();
    await settle();
    expect(entered).toHaveLength(3);
    expect(slots.at(-1)).toEqual({ image: "image-3", release: "image-1" });
  });

  it("keeps a refused waiter's turn and grants it at the next kick", async () => {
    let refuse = true;
    const { w, total } = window(1, { refuse: () => refuse });
    let granted = false;
    void w.enter(image(1), new AbortController().signal).then(() => {
      granted = true;
    });
    await settle();
    expect(granted).toBe(false);
    expect(total()).toBe(0);
    refuse = false;
    w.grant();
    await settle();
    expect(granted).toBe(true);
  });

  it("gives nothing out while closed, and drops a waiter that is aborted", async () => {
    const { w, total } = window(1);
    w.close();
    const aborted = new AbortController();
    const entry = w.enter(image(1), aborted.signal);
    await settle();
    aborted.abort("stopped");
    await expect(entry).rejects.toBe("stopped");
    w.open();
    await settle();
    expect(total()).toBe(0);
    expect(w.waiting).toBe(0);
  });
});
