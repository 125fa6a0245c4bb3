import { distance } from "fastest-levenshtein";
import { compactKey, nameKey } from "./normalize";
import { cityKey, parseStreet, phoneKey, samePhone, stateKey, streetKey, zipKey } from "./place-keys";

/** What one reading says about where a venue is, as comparison keys ("" for not printed). */
export interface VenueProfile {
  name: string;
  words: string[];
  street: string;
  city: string;
  state: string;
  zip: string;
  phone: string;
}

export interface VenueFields {
  name: string;
  address?: string | null;
  city?: string | null;
  state?: string | null;
  zip?: string | null;
  phone?: string | null;
}

/** A reading's profile. City, state and ZIP printed inside the address line count too. */
export function venueProfile(v: VenueFields): VenueProfile {
  const inAddress = parseStreet(v.address);
  return {
    name: compactKey(v.name),
    words: nameKey(v.name).split(" ").filter(Boolean),
    street: v.address ? streetKey(v.address) : "",
    city: cityKey(v.city ?? inAddress?.city),
    state: stateKey(v.state ?? inAddress?.state),
    zip: zipKey(v.zip ?? inAddress?.zip),
    phone: phoneKey(v.phone),
  };
}

/** A fixed text for a profile: equal profiles are one, and sorting by it orders them. */
export const profileSignature = (p: VenueProfile): string => [p.name, p.street, p.city, p.state, p.zip, p.phone].join("|");

const both = (a: string, b: string) => a !== "" && b !== "";
const agree = (a: string, b: string) => both(a, b) && a === b;
const differ = (a: string, b: string) => both(a, b) && a !== b;

/**
 * The two readings are in different places: another city, another state, or ZIPs of another
 * area. Only the first three ZIP digits count (the postal area): a big city has many ZIPs,
 * and one misread last digit should not split a venue.
 */
export function placesDisagree(a: VenueProfile, b: VenueProfile): boolean {
  return differ(a.city, b.city) || differ(a.state, b.state) || differ(a.zip.slice(0, 3), b.zip.slice(0, 3));
}

/** Words that say what kind of place it is, not which one: "Murphy's" is not made "Murphy's Pub" by "pub" alone. */
const GENERIC_WORDS = new Set(["bar", "pub", "grill", "and", "tavern", "lounge", "saloon", "inn", "club", "cafe", "restaurant", "taproom"]);

/**
 * Names that are probably the same venue's: a few letters apart ("Harbour" and "Harbor"), or
 * one's words all within the other's ("Shooters" and "Shooters Sports Bar"). Only ever
 * trusted together with an agreeing street, phone or city.
 */
export function similarNames(a: VenueProfile, b: VenueProfile): boolean {
  if (a.name === b.name) return true;
  const longest = Math.max(a.name.length, b.name.length);
  // A quarter of the letters: one typo or transposition in a short name ("Rusty Nial"), while
  // "Rusty Nail" and "Rusty Anchor" stay different.
  if (Math.min(a.name.length, b.name.length) >= 4 && distance(a.name, b.name) / longest <= 0.25) return true;
  const [fewer, more] = a.words.length <= b.words.length ? [a.words, b.words] : [b.words, a.words];
  return fewer.every((w) => more.includes(w)) && fewer.some((w) => w.length >= 4 && !GENERIC_WORDS.has(w));
}

/**
 * How surely two readings are one venue. The merge joins the surest first, so a weak link can
 * never pull a venue away from where strong evidence put it.
 */
export const LINK = { none: 0, nameOnly: 1, similar: 2, confirmed: 3 } as const;
export type Link = (typeof LINK)[keyof typeof LINK];

export function venueLink(a: VenueProfile, b: VenueProfile): Link {
  if (placesDisagree(a, b)) return LINK.none;
  const confirmed = agree(a.street, b.street) || agree(a.city, b.city) || (both(a.phone, b.phone) && samePhone(a.phone, b.phone));
  // The same name in the same or an unknown city is the same venue, even with another street
  // or phone: that is more often a misreading (kept as a conflict) than a second branch.
  if (a.name === b.name) return confirmed ? LINK.confirmed : LINK.nameOnly;
  // A similar name needs a place that agrees and none that disagrees.
  const contradicted = differ(a.street, b.street) || differ(a.zip, b.zip) || (both(a.phone, b.phone) && !samePhone(a.phone, b.phone));
  return confirmed && !contradicted && similarNames(a, b) ? LINK.similar : LINK.none;
}
