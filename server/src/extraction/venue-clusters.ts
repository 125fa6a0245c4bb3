import { LINK, placesDisagree, profileSignature, venueLink, type Link, type VenueProfile } from "./venue-identity";

/**
 * Groups venue readings into venues. Distinct profiles are linked pairwise (venueLink) and
 * joined surest link first; two groups never join when any reading of one is in another place
 * than any reading of the other, so "Rusty Nail" in Dayton and in Columbus stay two venues
 * even when a reading without a city resembles both. Returns, per profile signature, the
 * signature of its group's first profile: the same for every order the readings come in.
 */
export function clusterVenues(profiles: VenueProfile[]): Map<string, string> {
  const bySignature = new Map(profiles.map((p) => [profileSignature(p), p]));
  const signatures = [...bySignature.keys()].sort();
  const nodes = signatures.map((s) => bySignature.get(s) as VenueProfile);
  const parent = nodes.map((_, i) => i);
  const members = nodes.map((_, i) => [i]);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] ?? i;
    return i;
  };
  const compatible = (a: number, b: number) =>
    (members[a] ?? []).every((x) => (members[b] ?? []).every((y) => !placesDisagree(nodes[x] as VenueProfile, nodes[y] as VenueProfile)));
  const join = (i: number, j: number) => {
    const [a, b] = [find(i), find(j)].sort((x, y) => x - y) as [number, number];
    if (a === b || !compatible(a, b)) return;
    parent[b] = a;
    members[a] = [...(members[a] ?? []), ...(members[b] ?? [])];
    members[b] = [];
  };

  const links: { i: number; j: number; link: Link }[] = [];
  nodes.forEach((a, i) => {
    for (let j = i + 1; j < nodes.length; j++) {
      const link = venueLink(a, nodes[j] as VenueProfile);
      if (link !== LINK.none) links.push({ i, j, link });
    }
  });
  for (const tier of [LINK.confirmed, LINK.similar]) for (const { i, j, link } of links) if (link === tier) join(i, j);

  // A bare name that matches venues in different places could be either: it stays apart
  // rather than be given to whichever came first.
  const nameOnly = links.filter((l) => l.link === LINK.nameOnly);
  const reaches = new Map<number, Set<number>>();
  for (const { i, j } of nameOnly) {
    for (const [from, to] of [
      [i, j],
      [j, i],
    ] as const) {
      const set = reaches.get(from) ?? new Set([find(from)]);
      set.add(find(to));
      reaches.set(from, set);
    }
  }
  const ambiguous = new Set(
    [...reaches].filter(([, groups]) => [...groups].some((a) => [...groups].some((b) => a < b && !compatible(a, b)))).map(([node]) => node),
  );
  for (const { i, j } of nameOnly) if (!ambiguous.has(i) && !ambiguous.has(j)) join(i, j);

  return new Map(signatures.map((s, i) => [s, signatures[find(i)] as string]));
}
