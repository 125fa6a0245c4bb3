import type { ItemKind } from "@showscan/db";
import type { z } from "zod";
import { djSchema, showSchema, vendorSchema, venueSchema } from "../extraction/schema";

/**
 * What a reviewer may set on each kind of item: the item's own fields, as the extraction names
 * them (a show also carries its venue's address). Derived from the extraction schema, so an
 * edited value obeys the same rules as a read one.
 */
export const editableFields = {
  show: showSchema
    .omit({ confidence: true })
    .extend(venueSchema.pick({ address: true, city: true, state: true, zip: true, phone: true }).shape)
    .partial()
    .strict(),
  venue: venueSchema.omit({ confidence: true }).partial().strict(),
  dj: djSchema.omit({ confidence: true }).partial().strict(),
  vendor: vendorSchema.omit({ confidence: true }).partial().strict(),
} satisfies Record<ItemKind, z.ZodType>;

export type EditableFields = { [K in ItemKind]: z.infer<(typeof editableFields)[K]> };
