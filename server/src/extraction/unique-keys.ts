/**
 * Makes item keys unique within a kind. An item's key is its base (the key of its name); when
 * two items share a base, each gets its detail added (the venue's city), and what still
 * collides gets a number in the order given, which callers fix independently of input order.
 * Keys are what stored items' ids derive from, so they must not depend on that order.
 */
export function uniqueKeys(items: { base: string; detail?: string }[]): string[] {
  const count = (keys: string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const bases = count(items.map((i) => i.base));
  const detailed = items.map(({ base, detail }) => ((bases.get(base) ?? 0) > 1 && detail ? `${base} (${detail})` : base));
  const repeats = count(detailed);
  const seen = new Map<string, number>();
  return detailed.map((key) => {
    if ((repeats.get(key) ?? 0) < 2) return key;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? key : `${key} #${n}`;
  });
}
