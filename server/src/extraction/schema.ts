import { z } from "zod";

/**
 * The one source of truth for what an image yields. Field names follow the original
 * service's ParsedKaraokeData so its clients carry over. Every field that an image may not
 * print is nullable: the model must answer null rather than invent a value.
 */
export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export const weekdaySchema = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof weekdaySchema>;

const time = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "24-hour HH:MM")
  .describe("24-hour HH:MM; midnight is 00:00");
const confidence = z.number().min(0).max(1).describe("0 to 1: how sure the reading is");
const text = z.string().min(1);

export const showSchema = z.object({
  venueName: text.describe("the venue (bar, restaurant) where the show happens"),
  dayOfWeek: weekdaySchema.describe("one weekday; a show on several days is several rows"),
  startTime: time.nullable(),
  endTime: time.nullable(),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .describe("YYYY-MM-DD, only when a date is printed"),
  djName: text.nullable().describe("the host: DJ or KJ"),
  vendor: text.nullable().describe("the karaoke company running the show"),
  description: text.nullable(),
  confidence,
});

export const venueSchema = z.object({
  name: text,
  address: text.nullable().describe("street address as printed"),
  city: text.nullable(),
  state: text.nullable(),
  zip: text.nullable(),
  phone: text.nullable(),
  website: text.nullable(),
  confidence,
});

export const djSchema = z.object({
  name: text,
  aliases: z.array(text),
  socialHandles: z.array(text),
  confidence,
});

export const vendorSchema = z.object({
  name: text,
  website: text.nullable(),
  description: text.nullable(),
  confidence,
});

export const extractionSchema = z.object({
  shows: z.array(showSchema),
  venues: z.array(venueSchema),
  djs: z.array(djSchema),
  vendors: z.array(vendorSchema),
});

export type Show = z.infer<typeof showSchema>;
export type Venue = z.infer<typeof venueSchema>;
export type Dj = z.infer<typeof djSchema>;
export type Vendor = z.infer<typeof vendorSchema>;
export type Extraction = z.infer<typeof extractionSchema>;

export const emptyExtraction = (): Extraction => ({ shows: [], venues: [], djs: [], vendors: [] });
