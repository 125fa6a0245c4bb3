import type { KeyOf } from "./field-keys";
import { fieldVoter, type Reading } from "./field-vote";
import { provenanceOf, type MergedDj, type MergedVendor, type Sourced } from "./merged-types";
import { hostKey, nameKey, vendorKey } from "./normalize";
import type { Dj, Vendor } from "./schema";
import { uniqueKeys } from "./unique-keys";

/**
 * Groups readings that name one another: one's key equals the other's key or one of its other
 * keys (a host's aliases). Groups come in the order of their first reading.
 */
function groupByKeys<T>(readings: Sourced<T>[], keyOf: (item: T) => string, othersOf: (item: T) => string[]): Sourced<T>[][] {
  const parent = readings.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] ?? i;
    return i;
  };
  const firstWithKey = new Map<string, number>();
  readings.forEach(({ item }, i) => {
    const key = keyOf(item);
    const first = firstWithKey.get(key);
    if (first === undefined) firstWithKey.set(key, i);
    else parent[find(i)] = find(first);
  });
  readings.forEach(({ item }, i) => {
    for (const other of othersOf(item)) {
      const named = firstWithKey.get(other);
      if (named === undefined) continue;
      const [a, b] = [find(i), find(named)].sort((x, y) => x - y) as [number, number];
      parent[b] = a;
    }
  });
  const groups = new Map<number, Sourced<T>[]>();
  readings.forEach((reading, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(reading);
    else groups.set(root, [reading]);
  });
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}

const maxConfidence = (readings: Sourced<{ confidence: number }>[]) => Math.max(...readings.map((r) => r.item.confidence));
const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Hosts: "DJ Max", "KJ Max" and "Max" are one (titles dropped), and so is a name another
 * reading lists among its aliases. Also answers how a show's djName compares: by the host it
 * names, so "Jackson" and "KJ Jax" agree when Jax's aliases say Jackson.
 */
export function mergeDjs(readings: Sourced<Dj>[]): { djs: MergedDj[]; djKeyOf: KeyOf } {
  const groups = groupByKeys(
    readings,
    (dj) => hostKey(dj.name),
    (dj) => dj.aliases.map(hostKey),
  );
  const merged = groups.map((group) => {
    const voter = fieldVoter("dj", group);
    const name = voter.value("name") ?? group[0]?.item.name ?? "";
    const otherSpellings: Reading[] = voter.readings("name").filter((r) => nameKey(r.value) !== nameKey(name));
    const aliases = voter.list("aliases", otherSpellings, nameKey).filter((alias) => nameKey(alias) !== nameKey(name));
    const fields = { name, aliases, socialHandles: voter.list("socialHandles"), confidence: maxConfidence(group) };
    return { ...fields, ...provenanceOf(group), conflicts: voter.conflicts };
  });
  const keys = uniqueKeys(merged.map((dj) => ({ base: hostKey(dj.name) })));
  const djs: MergedDj[] = merged.map((dj, i) => ({ ...dj, key: keys[i] ?? "" }));

  const hostOf = new Map<string, string | null>();
  for (const dj of djs)
    for (const key of new Set([dj.name, ...dj.aliases].map(hostKey)))
      hostOf.set(key, hostOf.has(key) && hostOf.get(key) !== dj.key ? null : dj.key);
  const djKeyOf = (value: string) => hostOf.get(hostKey(value)) ?? hostKey(value);
  return { djs: djs.sort(byKey), djKeyOf };
}

/** Karaoke companies: one per name, compared without case, punctuation or "LLC". */
export function mergeVendors(readings: Sourced<Vendor>[]): MergedVendor[] {
  const merged = groupByKeys(
    readings,
    (v) => vendorKey(v.name),
    () => [],
  ).map((group) => {
    const voter = fieldVoter("vendor", group);
    const fields = {
      name: voter.value("name") ?? group[0]?.item.name ?? "",
      website: voter.value("website"),
      description: voter.value("description"),
      confidence: maxConfidence(group),
    };
    return { ...fields, ...provenanceOf(group), conflicts: voter.conflicts };
  });
  const keys = uniqueKeys(merged.map((v) => ({ base: vendorKey(v.name) })));
  return merged.map((v, i): MergedVendor => ({ ...v, key: keys[i] ?? "" })).sort(byKey);
}
