import { fieldVoter } from "./field-vote";
import { provenanceOf, type MergedVenue, type Sourced } from "./merged-types";
import { compactKey, nameKey } from "./normalize";
import { stateKey } from "./place-keys";
import type { Show, Venue } from "./schema";
import { uniqueKeys } from "./unique-keys";
import { clusterVenues } from "./venue-clusters";
import { profileSignature, similarNames, venueProfile, type VenueProfile } from "./venue-identity";

/** Where a show is: its venue's key (the first part of the show's key) and the merged venue, if any image listed it. */
export interface ShowVenue {
  key: string;
  venue: MergedVenue | null;
}

const sameImage = (a: Sourced<unknown>, b: Sourced<unknown>) => a.from.imageId === b.from.imageId && a.from.attemptId === b.from.attemptId;

type Profiled<T> = Sourced<T> & { profile: VenueProfile };

/**
 * A show names its venue only; the venue's address, city and phone are in the same image's
 * venue list. The show takes the profile of the one venue there of that name (or, failing that,
 * of a similar name), so it is matched by place like the venue is. Without one it is a bare name.
 */
function profileOfShow(show: Sourced<Show>, venues: Profiled<Venue>[]): VenueProfile {
  const own = venueProfile({ name: show.item.venueName });
  const inImage = venues.filter((v) => sameImage(v, show)).map((v) => v.profile);
  const unique = (list: VenueProfile[]) => [...new Map(list.map((p) => [profileSignature(p), p])).values()];
  const equal = unique(inImage.filter((p) => p.name === own.name));
  if (equal.length) return equal.length === 1 && equal[0] ? equal[0] : own;
  const similar = unique(inImage.filter((p) => similarNames(p, own)));
  return similar.length === 1 && similar[0] ? similar[0] : own;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A US state as its two-letter code, as most flyers print it ("Ohio" is "OH"); anything else as read. */
function stateCode(value: string | null): string | null {
  const key = stateKey(value);
  return /^[A-Z]{2}$/.test(key) ? key : value;
}

function mergeVenue(group: Sourced<Venue>[]): Omit<MergedVenue, "key"> {
  const voter = fieldVoter("venue", group);
  const fields = {
    name: voter.value("name") ?? group[0]?.item.name ?? "",
    address: voter.value("address"),
    city: voter.value("city"),
    state: stateCode(voter.value("state")),
    zip: voter.value("zip"),
    phone: voter.value("phone"),
    website: voter.value("website"),
    confidence: Math.max(...group.map((r) => r.item.confidence)),
  };
  return { ...fields, ...provenanceOf(group), conflicts: voter.conflicts };
}

/**
 * Merges the venues of a batch and places every show at one. Returns the merged venues
 * (sorted by key) and, per show reading in the order given, its venue.
 */
export function mergeVenues(
  venueReadings: Sourced<Venue>[],
  showReadings: Sourced<Show>[],
): { venues: MergedVenue[]; ofShow: ShowVenue[] } {
  const venues: Profiled<Venue>[] = venueReadings.map((r) => ({ ...r, profile: venueProfile(r.item) }));
  const shows: Profiled<Show>[] = showReadings.map((r) => ({ ...r, profile: profileOfShow(r, venues) }));
  const groupOf = clusterVenues([...venues, ...shows].map((r) => r.profile));
  const group = (p: VenueProfile) => groupOf.get(profileSignature(p)) ?? profileSignature(p);

  const venuesIn = new Map<string, Sourced<Venue>[]>();
  const showsIn = new Map<string, Sourced<Show>[]>();
  for (const { profile, ...r } of venues) push(venuesIn, group(profile), r);
  for (const { profile, ...r } of shows) push(showsIn, group(profile), r);
  const groups = [...new Set([...venuesIn.keys(), ...showsIn.keys()])].sort();
  const merged = groups.map((g) => {
    const listed = venuesIn.get(g);
    const venue = listed ? mergeVenue(listed) : null;
    // A venue no image lists is known by its shows' spelling of its name.
    const name = venue?.name ?? fieldVoter("show", showsIn.get(g) ?? []).value("venueName", compactKey) ?? "";
    return { group: g, venue, base: nameKey(name), details: [nameKey(venue?.city), nameKey(venue?.state)] };
  });
  const keys = uniqueKeys(merged);
  const byGroup = new Map(
    merged.map((m, i) => [m.group, { key: keys[i] ?? m.base, venue: m.venue && { ...m.venue, key: keys[i] ?? m.base } }]),
  );
  const ofShow = shows.map(({ profile }): ShowVenue => byGroup.get(group(profile)) ?? { key: profile.name, venue: null });
  const listed = [...byGroup.values()].flatMap((v) => (v.venue ? [v.venue] : []));
  return { venues: listed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)), ofShow };
}
