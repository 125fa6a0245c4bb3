import type { ItemKind } from "@showscan/db";
import { fieldKey, type KeyOf } from "./field-keys";
import type { Sourced } from "./merged-types";

/** One image's value for one field. */
export interface Reading {
  value: string;
  confidence: number;
  imageId: string;
}

interface Group {
  key: string;
  images: Set<string>;
  confidence: number;
  spellings: Map<string, { count: number; confidence: number }>;
}

/** Readings grouped by what they say (their key), in the order the readings came. */
function groupByKey(readings: Reading[], keyOf: KeyOf): Group[] {
  const groups = new Map<string, Group>();
  for (const { value, confidence, imageId } of readings) {
    const key = keyOf(value);
    const group = groups.get(key) ?? { key, images: new Set(), confidence: 0, spellings: new Map() };
    group.images.add(imageId);
    group.confidence = Math.max(group.confidence, confidence);
    const spelling = group.spellings.get(value) ?? { count: 0, confidence: 0 };
    group.spellings.set(value, { count: spelling.count + 1, confidence: Math.max(spelling.confidence, confidence) });
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Printed in mixed case, as a name is written, rather than shouted in capitals or all lower case. */
const written = (s: string) => (/[a-z]/.test(s) && /[A-Z]/.test(s) ? 1 : 0);

/**
 * How one value is shown, among spellings that differ only in case, punctuation or a leading
 * "The": one written in mixed case (a flyer's heading in capitals is the same name), then the
 * fullest, since readers drop apostrophes and articles rather than add them ("O'Reilly's" over
 * "OReillys", "The Rusty Nail" over "Rusty Nail"), then the most printed, the most confident.
 */
function spellingOf(group: Group): string {
  const ranked = [...group.spellings].sort(
    ([a, x], [b, y]) =>
      written(b) - written(a) || b.length - a.length || y.count - x.count || y.confidence - x.confidence || (a < b ? -1 : a > b ? 1 : 0),
  );
  return ranked[0]?.[0] ?? group.key;
}

/**
 * The value most images agree on (an image counts once however often it repeats it), the most
 * confident reading breaking ties, then the fuller value ("Murphy's Pub" over "Murphy's"), then
 * the key, so that the answer never depends on the order of the images. `values` is every
 * distinct value, the kept one first.
 */
export function vote(readings: Reading[], keyOf: KeyOf): { value: string | null; values: string[] } {
  const ranked = groupByKey(readings, keyOf).sort(
    (a, b) =>
      b.images.size - a.images.size ||
      b.confidence - a.confidence ||
      b.key.length - a.key.length ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const values = ranked.map(spellingOf);
  return { value: values[0] ?? null, values };
}

/** Every distinct value of a list field across the readings, each once, in the order first read. */
function union(readings: Reading[], keyOf: KeyOf): string[] {
  return groupByKey(readings, keyOf).map(spellingOf);
}

type FieldsOf<T, V> = { [K in keyof T]: T[K] extends V ? K : never }[keyof T] & string;

/**
 * Votes on the fields of one merged item, collecting the disagreements as it goes: the item's
 * `conflicts` hold every field on which the readings said more than one thing.
 */
export function fieldVoter<T extends { confidence: number }>(kind: ItemKind, readings: Sourced<T>[]) {
  const conflicts: Record<string, unknown[]> = {};
  const readingsOf = (field: keyof T): Reading[] =>
    readings.flatMap(({ item, from }) => {
      const value: unknown = item[field];
      const values = Array.isArray(value) ? value : [value];
      return values.flatMap((v) =>
        typeof v === "string" && v.trim() ? [{ value: v, confidence: item.confidence, imageId: from.imageId }] : [],
      );
    });
  return {
    conflicts,
    /** The kept value of a text field; `keyOf` overrides how its values are compared. */
    value(field: FieldsOf<T, string | null>, keyOf: KeyOf = (v) => fieldKey(kind, field, v)): string | null {
      const { value, values } = vote(readingsOf(field), keyOf);
      if (values.length > 1) conflicts[field] = values;
      return value;
    },
    /** The union of a list field, plus any `more` values (as the other spellings of a name). */
    list(field: FieldsOf<T, string[]>, more: Reading[] = [], keyOf: KeyOf = (v) => fieldKey(kind, field, v)): string[] {
      return union([...readingsOf(field), ...more], keyOf);
    },
    readings: readingsOf,
  };
}
