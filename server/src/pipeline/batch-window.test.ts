import { describe, expect, it } from "vitest";
import { BatchWindow } from "./batch-window";

const image = (n: number) => ({ imageId: `image-${n}`, attemptNumber: 1 });

interface Opts {
  refuse?: () => boolean;
  processRoom?: () => boolean;
  /** Stands in for the database's answer to a pass: the test resolves it when it likes. */
  pass?: (from: string, to: string) => Promise<boolean>;
}

function window(workers: number, opts: Opts = {}) {
  const slots: { image: string; release: string | null }[] = [];
  const passes: { from: string; to: string }[] = [];
  const lost: string[] = [];
  let total = 0;
  const w = new BatchWindow(
    {
      takeSlot: async (img, release) => {
        if (opts.refuse?.()) return false;
        slots.push({ image: img.imageId, release: release?.imageId ?? null });
        return true;
      },
      passSlot: async (from, to) => {
        passes.push({ from: from.imageId, to: to.imageId });
        return opts.pass ? opts.pass(from.imageId, to.imageId) : true;
      },
      processHasRoom: opts.processRoom ?? (() => true),
      mayKeep: opts.processRoom ?? (() => true),
      lost: (img) => lost.push(img.imageId),
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
  return { w, slots, passes, lost, total: () => total };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

/** Images 1-3 wait for a window of one; image 1 goes, answers, and its place is handed on. */
async function enterThreeAndEndFirst(w: BatchWindow): Promise<(() => void)[]> {
  const signal = new AbortController().signal;
  const leaves: (() => void)[] = [];
  for (let n = 1; n <= 3; n++) void w.enter(image(n), signal).then((leave) => leaves.push(leave));
  await settle();
  leaves[0]!();
  await settle();
  return leaves;
}

describe("a batch's window in one process", () => {
  it("lets no more than `workers` requests go, and passes an ended request's place to the next at once", async () => {
    const { w, slots, passes, total } = window(2);
    const signal = new AbortController().signal;
    const entered: (() => void)[] = [];
    for (let n = 1; n <= 4; n++) void w.enter(image(n), signal).then((leave) => entered.push(leave));
    await settle();
    expect(entered).toHaveLength(2);
    expect(total()).toBe(2);
    entered[0]!();
    await settle();
    expect(entered).toHaveLength(3);
    expect(total()).toBe(2);
    expect(slots).toHaveLength(2);
    expect(passes).toEqual([{ from: "image-1", to: "image-3" }]);
  });

  it("sends the next request before the database has moved the place, and holds back what depends on the move", async () => {
    const answers: ((ok: boolean) => void)[] = [];
    const { w, passes } = window(1, { pass: () => new Promise((resolve) => answers.push(resolve)) });
    const leaves = await enterThreeAndEndFirst(w);
    // image-2 is out while its place is still moving; image-1's record must wait for the move.
    expect(leaves).toHaveLength(2);
    let firstSettled = false;
    void w.settled(image(1)).then(() => {
      firstSettled = true;
    });
    // image-2 answers at once: its place goes to image-3, but only after the first move.
    leaves[1]!();
    await settle();
    expect(leaves).toHaveLength(3);
    expect(passes).toHaveLength(1);
    expect(firstSettled).toBe(false);
    answers[0]!(true);
    await settle();
    expect(firstSettled).toBe(true);
    expect(passes).toEqual([
      { from: "image-1", to: "image-2" },
      { from: "image-2", to: "image-3" },
    ]);
  });

  it("stops a request whose place did not move to it, and frees nothing when it ends", async () => {
    const { w, lost, slots, total } = window(1, { pass: async () => false });
    const leaves = await enterThreeAndEndFirst(w);
    expect(lost).toEqual(["image-2"]);
    // image-2 ends (stopped): it held no place, so image-3 asks the database for a free one.
    leaves[1]!();
    await settle();
    expect(slots.map((s) => s.image)).toEqual(["image-1", "image-3"]);
    expect(slots.at(-1)?.release).toBeNull();
    expect(total()).toBe(1);
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
