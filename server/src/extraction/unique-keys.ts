/**
 * Makes item keys unique within a kind. An item's key is its base (the key of its name); when
 * items share a base, details are added one at a time until they differ (a venue's city, then
 * its state: "lucky clover pub (springfield il)"), and what still collides gets a number in
 * the order given, which callers fix independently of input order. Stored items' ids derive
 * from these keys, so they must not depend on that order.
 */
export function uniqueKeys(items: { base: string; details?: string[] }[]): string[] {
  const byBase = new Map<string, number[]>();
  items.forEach(({ base }, i) => {
    byBase.set(base, [...(byBase.get(base) ?? []), i]);
  });
  const keys = items.map((i) => i.base);
  for (const [base, members] of byBase) {
    if (members.length < 2) continue;
    const detailsOf = (i: number) => (items[i]?.details ?? []).filter(Boolean);
    const depth = Math.max(...members.map((i) => detailsOf(i).length));
    for (let n = 1; n <= depth; n++) {
      const tried = members.map((i) => {
        const added = detailsOf(i).slice(0, n);
        return added.length ? `${base} (${added.join(" ")})` : base;
      });
      members.forEach((i, m) => {
        keys[i] = tried[m] ?? base;
      });
      if (new Set(tried).size === members.length) break;
    }
  }
  const seen = new Map<string, number>();
  return keys.map((key) => {
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? key : `${key} #${n}`;
  });
}
