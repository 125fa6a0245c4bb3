import type { Extraction } from "./schema";

/**
 * The company the sender named for a whole upload (the original clients' `vendor`), as the
 * company of each show whose image names none. An image that names a company keeps its own:
 * the sender's word is a default, not a correction. The company is listed once among the
 * vendors when a show took it, with the lowest confidence of those shows.
 */
export function withSenderVendor(extraction: Extraction, vendor: string | null): Extraction {
  const name = vendor?.trim();
  if (!name) return extraction;
  const filled = extraction.shows.filter((show) => !show.vendor);
  if (filled.length === 0) return extraction;
  const shows = extraction.shows.map((show) => (show.vendor ? show : { ...show, vendor: name }));
  const listed = extraction.vendors.some((v) => v.name.trim().toLowerCase() === name.toLowerCase());
  const confidence = Math.min(...filled.map((show) => show.confidence));
  const vendors = listed ? extraction.vendors : [...extraction.vendors, { name, website: null, description: null, confidence }];
  return { ...extraction, shows, vendors };
}
