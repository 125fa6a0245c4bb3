import type { ItemKind } from "@showscan/db";
import { fieldKey } from "./field-keys";
import { hostKey, timeKey, vendorKey, weekdayKey } from "./normalize";
import { LINK, venueLink, venueProfile, type VenueProfile } from "./venue-identity";

type Fields = Record<string, unknown>;
type CatalogItem = { id: string; fields: Fields };

export interface CatalogMatch {
  match: "new" | "known" | "changed";
  catalogItemId: string | null;
  /** For `changed`: the catalog's values of the fields that differ. */
  previous: Fields | null;
}

const text = (fields: Fields, field: string): string | null => {
  const value = fields[field];
  return typeof value === "string" && value.trim() ? value : null;
};
const texts = (fields: Fields, field: string): string[] => {
  const value = fields[field];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
};

/** Where a venue, or a show's venue, is. */
const placeOf = (fields: Fields, nameField: "name" | "venueName"): VenueProfile =>
  venueProfile({
    name: text(fields, nameField) ?? "",
    address: text(fields, "address"),
    city: text(fields, "city"),
    state: text(fields, "state"),
    zip: text(fields, "zip"),
    phone: text(fields, "phone"),
  });

/**
 * The catalog venues (or shows' venues) a profile is, surest link first. Several that are only
 * equal names, none confirmed by a place, could each be it: none is taken.
 */
function samePlaces(profile: VenueProfile, catalog: { item: CatalogItem; place: VenueProfile }[]) {
  const linked = catalog.map((c) => ({ ...c, link: venueLink(profile, c.place) })).filter((c) => c.link !== LINK.none);
  const best = Math.max(...linked.map((c) => c.link));
  const surest = linked.filter((c) => c.link === best);
  return best === LINK.nameOnly && new Set(surest.map((c) => c.item.id)).size > 1 ? [] : surest.map((c) => c.item);
}

function sameItem(kind: Exclude<ItemKind, "show">, fields: Fields, catalog: CatalogItem[]): CatalogItem | undefined {
  if (kind === "venue")
    return samePlaces(
      placeOf(fields, "name"),
      catalog.map((item) => ({ item, place: placeOf(item.fields, "name") })),
    )[0];
  const name = text(fields, "name") ?? "";
  if (kind === "vendor") return catalog.find((c) => vendorKey(text(c.fields, "name")) === vendorKey(name));
  // A host is the same by name, or when one lists the other's name among its aliases.
  const own = hostKey(name);
  const aliases = texts(fields, "aliases").map(hostKey);
  return (
    catalog.find((c) => hostKey(text(c.fields, "name")) === own) ??
    catalog.find((c) => texts(c.fields, "aliases").map(hostKey).includes(own) || aliases.includes(hostKey(text(c.fields, "name"))))
  );
}

/**
 * Shows are the same by venue, weekday and start time. A show whose venue and weekday has no
 * catalog show at its time but exactly one at another, while the batch has only this one there,
 * is that show moved to a new time; a show read without a time is the one catalog show there.
 */
function sameShows(items: Fields[], catalog: CatalogItem[]): (CatalogItem | undefined)[] {
  const places = items.map((f) => placeOf(f, "venueName"));
  const catalogPlaces = catalog.map((item) => ({ item, place: placeOf(item.fields, "venueName") }));
  const day = (f: Fields) => weekdayKey(text(f, "dayOfWeek"));
  return items.map((fields, i) => {
    const place = places[i] as VenueProfile;
    const there = samePlaces(
      place,
      catalogPlaces.filter((c) => day(c.item.fields) === day(fields)),
    );
    const start = timeKey(text(fields, "startTime"));
    const atTime = there.find((c) => start && timeKey(text(c.fields, "startTime")) === start);
    if (atTime || there.length !== 1) return atTime;
    const inBatch = items.filter((other, j) => day(other) === day(fields) && venueLink(place, places[j] as VenueProfile) !== LINK.none);
    return !start || inBatch.length === 1 ? there[0] : undefined;
  });
}

/** The new item says the same as the catalog's on a field: by key, and for lists, nothing the catalog lacks. */
function sameField(kind: ItemKind, field: string, value: unknown, old: unknown): boolean {
  if (typeof value === "string") return typeof old === "string" && fieldKey(kind, field, value) === fieldKey(kind, field, old);
  if (Array.isArray(value)) {
    const known = new Set(
      (Array.isArray(old) ? old : []).map((v) => (typeof v === "string" ? fieldKey(kind, field, v) : JSON.stringify(v))),
    );
    return value.every((v) => known.has(typeof v === "string" ? fieldKey(kind, field, v) : JSON.stringify(v)));
  }
  return JSON.stringify(value) === JSON.stringify(old ?? null);
}

/** The catalog's values of the fields the new item gives differently; a field it does not give (null, empty) is no difference. */
function differences(kind: ItemKind, fields: Fields, old: Fields): Fields {
  const previous: Fields = {};
  for (const [field, value] of Object.entries(fields)) {
    const given = value !== null && value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0);
    if (given && !sameField(kind, field, value, old[field])) previous[field] = old[field] ?? null;
  }
  return previous;
}

/**
 * Matches a batch's merged items of one kind against the approved catalog, with the merge's
 * idea of identity: `known` when a catalog item is the same and says the same, `changed` (with
 * the catalog's differing values) when it is the same item with other values, else `new`.
 * One answer per item, in order.
 */
export function matchCatalog(kind: ItemKind, items: { fields: Fields }[], catalog: CatalogItem[]): CatalogMatch[] {
  const fields = items.map((i) => i.fields);
  const found = kind === "show" ? sameShows(fields, catalog) : fields.map((f) => sameItem(kind, f, catalog));
  return fields.map((f, i): CatalogMatch => {
    const match = found[i];
    if (!match) return { match: "new", catalogItemId: null, previous: null };
    const previous = differences(kind, f, match.fields);
    return Object.keys(previous).length
      ? { match: "changed", catalogItemId: match.id, previous }
      : { match: "known", catalogItemId: match.id, previous: null };
  });
}
