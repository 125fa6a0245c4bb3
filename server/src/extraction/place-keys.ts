// The package has no types of its own; this brings ours along wherever this file is compiled.
/// <reference path="./parse-address.d.ts" />
import { parsePhoneNumberFromString } from "libphonenumber-js";
import parseAddress, { type ParsedLocation } from "parse-address";
import { compactKey, nameKey } from "./normalize";

/**
 * Comparison keys for where a venue is: street address, city, state, ZIP, phone, website.
 * Street addresses go through parse-address, which knows the USPS abbreviations ("Street" is
 * "St", "North" is "N") and unit markers (Suite, Ste, #, Unit).
 */

/** Written-out ordinals a flyer may use for numbered streets ("West Fifth Avenue"). */
const ORDINALS: Record<string, string> = {
  first: "1st",
  second: "2nd",
  third: "3rd",
  fourth: "4th",
  fifth: "5th",
  sixth: "6th",
  seventh: "7th",
  eighth: "8th",
  ninth: "9th",
  tenth: "10th",
};

/** The street parts of an address, or null when parse-address finds no street in it. */
export function parseStreet(value: string | null | undefined): ParsedLocation | null {
  const text = (value ?? "").trim();
  if (!text) return null;
  const parsed = parseAddress.parseLocation(text);
  return parsed?.street ? parsed : null;
}

const streetName = (parsed: ParsedLocation) => {
  const name = compactKey(parsed.street);
  return ORDINALS[name] ?? name;
};

/**
 * The whole street address: "2201 North High Street, Suite 4" is "2201 n high st 4" like
 * "2201 N High St #4". The unit marker itself is dropped, its number kept. An address
 * parse-address cannot read falls back to its name key.
 */
export function addressKey(value: string | null | undefined): string {
  const parsed = parseStreet(value);
  if (!parsed) return nameKey(value);
  return [parsed.number, parsed.prefix, streetName(parsed), parsed.type, parsed.suffix, parsed.sec_unit_num]
    .filter((part) => part)
    .map((part) => nameKey(part).replace(/ /g, ""))
    .join(" ");
}

/**
 * Number and street name only, for telling whether two readings are at the same place: a
 * reading that drops the "N" or the "St", or the suite, still names the same building.
 */
export function streetKey(value: string | null | undefined): string {
  const parsed = parseStreet(value);
  if (!parsed) return compactKey(value);
  return [parsed.number, streetName(parsed)].filter((part) => part).join(" ");
}

/** City names' usual abbreviations: "St. Pete Beach" is "Saint Pete Beach". */
const CITY_WORDS: Record<string, string> = { st: "saint", ste: "sainte", ft: "fort", mt: "mount", pt: "port" };

export function cityKey(value: string | null | undefined): string {
  return nameKey(value)
    .split(" ")
    .map((word, i) => (i === 0 ? (CITY_WORDS[word] ?? word) : word))
    .join("");
}

const STATES: Record<string, string> = {
  alabama: "AL",
  alaska: "AK",
  arizona: "AZ",
  arkansas: "AR",
  california: "CA",
  colorado: "CO",
  connecticut: "CT",
  delaware: "DE",
  "district of columbia": "DC",
  florida: "FL",
  georgia: "GA",
  hawaii: "HI",
  idaho: "ID",
  illinois: "IL",
  indiana: "IN",
  iowa: "IA",
  kansas: "KS",
  kentucky: "KY",
  louisiana: "LA",
  maine: "ME",
  maryland: "MD",
  massachusetts: "MA",
  michigan: "MI",
  minnesota: "MN",
  mississippi: "MS",
  missouri: "MO",
  montana: "MT",
  nebraska: "NE",
  nevada: "NV",
  "new hampshire": "NH",
  "new jersey": "NJ",
  "new mexico": "NM",
  "new york": "NY",
  "north carolina": "NC",
  "north dakota": "ND",
  ohio: "OH",
  oklahoma: "OK",
  oregon: "OR",
  pennsylvania: "PA",
  "puerto rico": "PR",
  "rhode island": "RI",
  "south carolina": "SC",
  "south dakota": "SD",
  tennessee: "TN",
  texas: "TX",
  utah: "UT",
  vermont: "VT",
  virginia: "VA",
  washington: "WA",
  "west virginia": "WV",
  wisconsin: "WI",
  wyoming: "WY",
};
const STATE_CODES = new Set(Object.values(STATES));

/** "Ohio", "OH", "oh." are "OH"; something that is no US state keeps its name key. */
export function stateKey(value: string | null | undefined): string {
  const key = nameKey(value);
  const code = key.replace(/ /g, "").toUpperCase();
  return STATE_CODES.has(code) ? code : (STATES[key] ?? key);
}

/** The five-digit ZIP: "43201-1234" is "43201". */
export function zipKey(value: string | null | undefined): string {
  return (value ?? "").match(/\d{5}/)?.[0] ?? "";
}

/**
 * A phone number's digits as dialled in the US ("(614) 555-0199", "614.555.0199" and
 * "+1 614 555 0199" are "6145550199"); another country's numbers keep their country code.
 * libphonenumber-js reads it; text it cannot read keeps its bare digits.
 */
export function phoneKey(value: string | null | undefined): string {
  const text = (value ?? "").trim();
  if (!text) return "";
  const parsed = parsePhoneNumberFromString(text, "US");
  if (!parsed) return text.replace(/\D/g, "");
  return parsed.countryCallingCode === "1" ? parsed.nationalNumber : parsed.number;
}

/** Two phone keys name the same line, also when one reading left off the area code. */
export function samePhone(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.length === 7 && long.length === 10 && long.endsWith(short);
}

/** "https://www.Star.example/" is "star.example". */
export const websiteKey = (value: string | null | undefined): string =>
  (value ?? "")
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, "")
    .replace(/^www\./, "")
    .replace(/\/+$/, "");

/** "@DJMax" and "djmax" are one handle. */
export const handleKey = (value: string | null | undefined): string => websiteKey(value).replace(/^@/, "");
