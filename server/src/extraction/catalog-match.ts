import type { ItemKind } from "@showscan/db";
import { nameKey, showKey } from "./normalize";

type Fields = Record<string, unknown>;

export interface CatalogMatch {
  match: "new" | "known" | "changed";
  catalogItemId: string | null;
  /** For `changed`: the catalog's values of the fields that differ. */
  previous: Fields | null;
}

const identity = (kind: ItemKind, fields: Fields): string =>
  kind === "show"
    ? showKey(fields as { venueName: string; dayOfWeek: string; startTime: string | null })
    : nameKey(String(fields.name ?? ""));

/**
 * Matches a batch's merged items of one kind against the catalog's: `known` when an approved
 * item says the same, `changed` (with the catalog's differing values) when it is the same item
 * with other values, else `new`.
 */
export function matchCatalog(kind: ItemKind, items: { fields: Fields }[], catalog: { id: string; fields: Fields }[]): CatalogMatch[] {
  const byIdentity = new Map(catalog.map((c) => [identity(kind, c.fields), c]));
  return items.map(({ fields }) => {
    const found = byIdentity.get(identity(kind, fields));
    if (!found) return { match: "new", catalogItemId: null, previous: null };
    const previous: Fields = {};
    for (const [field, value] of Object.entries(fields))
      if (value !== null && value !== undefined && JSON.stringify(found.fields[field] ?? null) !== JSON.stringify(value))
        previous[field] = found.fields[field] ?? null;
    return Object.keys(previous).length
      ? { match: "changed", catalogItemId: found.id, previous }
      : { match: "known", catalogItemId: found.id, previous: null };
  });
}
