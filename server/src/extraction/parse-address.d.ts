/** The parts of parse-address (a port of Geo::StreetAddress::US) this code reads; the package ships no types. */
declare module "parse-address" {
  export interface ParsedLocation {
    number?: string;
    prefix?: string;
    street?: string;
    type?: string;
    suffix?: string;
    sec_unit_type?: string;
    sec_unit_num?: string;
    city?: string;
    state?: string;
    zip?: string;
    plus4?: string;
  }
  /** A street address, intersection or PO box; null when the text is none of these. */
  export function parseLocation(address: string): ParsedLocation | null;
  const parser: { parseLocation: typeof parseLocation };
  export default parser;
}
