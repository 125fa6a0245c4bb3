import type { Span } from "./days";

export interface Address {
  street: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
}

const STATES = new Set(
  "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split(
    " ",
  ),
);

const STREET_SUFFIX =
  "st|street|ave|avenue|av|rd|road|blvd|boulevard|dr|drive|ln|lane|way|pkwy|parkway|hwy|highway|ct|court|pl|place|cir|circle|ter|terrace|trl|trail|pike|sq|square|broadway|loop|row|plaza|expy|fwy|route|rte|tpke|turnpike|center|ctr|crossing|xing|run|path";
const SUFFIX_WORD = new RegExp(String.raw`^(?:${STREET_SUFFIX})\.?$`, "i");
const HOUSE_NUMBER = /^\d{1,6}[A-Za-z]?\s+[A-Za-z0-9]/;
const STATE_ZIP = /^(.*?)[,\s]+([A-Z0][A-Za-z1|])\.?(?:[,\s]+([\dA-Z]{5})(?:-\d{4})?)?$/;

/** A state code, allowing OCR's l or 1 for the I of MI or IN and 0 for the O of OH; null if none. */
function stateCode(raw: string): string | null {
  const upper = raw.toUpperCase();
  if (STATES.has(upper)) return upper;
  const repaired = raw.replace(/^0/, "O").replace(/[1l|]$/, "I");
  return STATES.has(repaired) ? repaired : null;
}

export function findPhone(text: string): { phone: string; span: Span } | null {
  const m = /(?<!\d)(?:\+?1[\s.-]?)?\(?\s?(\d{3})\s?\)?[\s.-]?(\d{3})[\s.-]?(\d{4})(?!\d)/.exec(text);
  return m ? { phone: `(${m[1]}) ${m[2]}-${m[3]}`, span: [m.index, m.index + m[0].length] } : null;
}

export function findUrl(text: string): { url: string; span: Span } | null {
  const m =
    /\b(?:https?:\/\/)?(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|biz|info|us|bar|club|co|fm)(?:\/[^\s,]*)?/i.exec(text);
  if (!m || /@/.test(text.slice(Math.max(0, m.index - 1), m.index))) return null;
  return { url: m[0].replace(/[.,;]$/, ""), span: [m.index, m.index + m[0].length] };
}

/** Splits "640 Park Ave Mansfield" at the last street suffix when no comma separates them. */
function splitStreetCity(text: string): { street: string; city: string | null } {
  const words = text.split(" ");
  for (let i = words.length - 2; i >= 1; i--) {
    const word = words[i];
    if (!word || !SUFFIX_WORD.test(word)) continue;
    let end = i + 1;
    if (/^\d+[A-Za-z]?$|^(N|S|E|W|NE|NW|SE|SW)\.?$/.test(words[end] ?? "")) end++;
    const city = words.slice(end).join(" ");
    return { street: words.slice(0, end).join(" "), city: city || null };
  }
  return { street: text, city: null };
}

const hasSuffix = (street: string) => street.split(" ").some((word, index) => index > 0 && SUFFIX_WORD.test(word));

function isStreet(text: string): boolean {
  return HOUSE_NUMBER.test(text) && /[A-Za-z]{2}/.test(text) && text.split(" ").length <= 10;
}

/**
 * A postal address as printed on one line: "640 Park Ave, Mansfield, OH 44903",
 * "37 Elm Street, Toledo, OH", a street alone ("2201 N High St") or a city line
 * ("Columbus, OH 43201"). Null for anything else.
 */
export function parseAddress(raw: string): Address | null {
  const text = raw
    .replace(/\s+/g, " ")
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "")
    // Whatever follows "ST 12345" is not address (a phone OCR could not read).
    .replace(/^(.*[,\s][A-Z]{2}\.?\s+\d{5})\b.*$/, "$1");
  const m = STATE_ZIP.exec(text);
  if (!m) return streetOnly(text);
  const [, place = "", code = ""] = m;
  const state = stateCode(code);
  const zip = m[3] && /^\d{5}$/.test(m[3]) ? m[3] : null;
  const segments = place.split(/\s*,\s*/).filter(Boolean);
  const last = segments.length >= 2 ? segments.pop() : undefined;
  if (last !== undefined) {
    const city = last.replace(/[.,]+$/, "");
    const street = segments.join(", ");
    // With a city and state after it, a street whose house number OCR garbled still counts.
    if (!(isStreet(street) || hasSuffix(street)) || /\d/.test(city)) return null;
    return { street, city, state, zip };
  }
  const only = segments[0];
  if (!only || !state) return streetOnly(text);
  if (isStreet(only)) return { ...splitStreetCity(only), state, zip };
  // A city line needs its comma or zip, or any two capitals at the end of a sentence would do.
  if (/\d/.test(only) || only.split(" ").length > 4 || (!/,/.test(m[0]) && !zip)) return null;
  return { street: null, city: only, state, zip };
}

function streetOnly(text: string): Address | null {
  if (!isStreet(text)) return null;
  const [street = "", second, ...more] = text.split(/\s*,\s*/);
  if (!hasSuffix(street)) return null;
  const city = second !== undefined && more.length === 0 && !/\d/.test(second) ? second : null;
  return { street, city, state: null, zip: null };
}

const VENUE_WORDS =
  /\b(?:pub|bar|grill|grille|tavern|lounge|saloon|inn|cantina|club|taproom|tap|brewery|brewing|brewpub|cafe|café|restaurant|bistro|cellar|hideaway|den|room|hall|house|kitchen|pizza|pizzeria|sports|roadhouse|cabaret|lanes|bowl|bowling|lodge|legion|vfw|station|depot|shack|hut|joint|alehouse|taverna|cocktails|spirits|winery|diner|cove|garden|patio|bbq|billiards|hotel|casino|speakeasy|barn|ranch|cantina|bar & grill|icehouse|beer|wings)\b/i;

export function hasVenueWord(text: string): boolean {
  return VENUE_WORDS.test(text);
}
