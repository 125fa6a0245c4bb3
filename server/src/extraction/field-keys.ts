import type { ItemKind } from "@showscan/db";
import { compactKey, hostKey, nameKey, timeKey, vendorKey, weekdayKey } from "./normalize";
import { addressKey, cityKey, handleKey, phoneKey, stateKey, websiteKey, zipKey } from "./place-keys";

export type KeyOf = (value: string) => string;

const placeKeys = { address: addressKey, city: cityKey, state: stateKey, zip: zipKey, phone: phoneKey };

/** How each field of each kind is compared: by the key of its value, not its spelling. */
const FIELD_KEYS: Record<ItemKind, Record<string, KeyOf>> = {
  show: {
    venueName: compactKey,
    dayOfWeek: weekdayKey,
    startTime: timeKey,
    endTime: timeKey,
    djName: hostKey,
    vendor: vendorKey,
    ...placeKeys,
  },
  venue: { name: compactKey, website: websiteKey, ...placeKeys },
  dj: { name: hostKey, aliases: hostKey, socialHandles: handleKey },
  vendor: { name: vendorKey, website: websiteKey },
};

/**
 * The comparison key of one field's value. A value its field's key cannot read ("9ish" as a
 * time) is compared by its name key instead, so it still counts as a reading of its own.
 */
export function fieldKey(kind: ItemKind, field: string, value: string): string {
  return FIELD_KEYS[kind][field]?.(value) || nameKey(value) || value.trim();
}
