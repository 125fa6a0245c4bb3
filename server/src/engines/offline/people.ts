import type { Span } from "./days";
import { cleanName, titleCase } from "./normalize";

export interface Host {
  /** As a listing shows it: "KJ Sarah", "DJ Rockin Rob"; a bare name when printed without one. */
  name: string;
  prefixed: boolean;
  span: Span;
}

const COMPANY_SUFFIX = String.raw`productions?|entertainment|karaoke|(?:kj|dj) services|services|events|promotions|sounds?|music|ent\.?|llc|inc\.?|enterprises|company|co\.`;
const COMPANY_WORD =
  /^(productions?|entertainment|karaoke|services|events|promotions|sounds?|music|ent\.?|llc|inc\.?|enterprises|company)$/i;
const NAME_STOP =
  /^(at|every|from|on|in|and|with|w\/|til|till|until|to|tonight|nightly|starting|starts|hosting|hosts|presents|is|are|will|the|for|each|plus|night|nights|karaoke|am|pm|-|&)$/i;
const DAY_WORD = /^(mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)(day)?s?\.?$/i;
const TIME_WORD = /^\d{1,2}([:.]\d\d)?([ap]\.?m?\.?)?$/i;

/**
 * Up to three name words starting at `from`: stops at times, days, connectors, punctuation and
 * at a line break, which in masked text marks a field already taken out.
 */
function takeName(text: string, from: number): { name: string; end: number } | null {
  const words: string[] = [];
  let end = from;
  const pattern = /\S+/g;
  pattern.lastIndex = from;
  for (let m = pattern.exec(text); m && words.length < 3; m = pattern.exec(text)) {
    if (words.length > 0 && text.slice(end, m.index).includes("\n")) break;
    const word = m[0].replace(/[,;:.!)]+$/, "");
    if (!word || NAME_STOP.test(word) || DAY_WORD.test(word) || TIME_WORD.test(word) || COMPANY_WORD.test(word)) break;
    if (!/^[A-Za-z0-9][\w'.-]*$/.test(word) || !/[A-Za-z]/.test(word)) break;
    if (words[0] && /^[a-z]/.test(word) && /^[A-Z]/.test(words[0])) break;
    words.push(word);
    end = m.index + m[0].length;
    if (word !== m[0]) break;
  }
  const name = cleanName(words.join(" "));
  return name.length >= 2 ? { name: titleCase(name), end } : null;
}

/** The show's host: "with DJ Rockin Rob", "w/ KJ Big Mike", "Hosted by KJ Sarah", "Host: Sarah". */
export function findHost(text: string): Host | null {
  const prefixed = /(?:\b(?:with|w\/|featuring|feat\.?|ft\.?|hosted\s+by|host(?:ed)?:?|by)\s+)?\b(DJ|KJ|VJ)\.?\s+/i.exec(text);
  if (prefixed) {
    const [, title = ""] = prefixed;
    const name = takeName(text, prefixed.index + prefixed[0].length);
    if (name) return { name: `${title.toUpperCase()} ${name.name}`, prefixed: true, span: [prefixed.index, name.end] };
  }
  const hosted = /\b(?:hosted\s+by|host(?:ed)?\s*:|your\s+host:?)\s+/i.exec(text);
  if (hosted) {
    const name = takeName(text, hosted.index + hosted[0].length);
    if (name) return { name: name.name, prefixed: false, span: [hosted.index, name.end] };
  }
  return null;
}

const VENDOR_STOP =
  /^(weekly|schedule|tonight|every|this|come|join|our|shows?|nightly|night|nights|live|best|free|open|mic|with|w\/|the|and|&|a|at|week's|karaoke|all|new)$/i;
const VENDOR_LINE = new RegExp(String.raw`^(.{2,60}?)\s+(${COMPANY_SUFFIX})$`, "i");
const VENDOR_BY =
  /\b(?:karaoke|presented|powered|brought\s+to\s+you|sponsored|provided|entertainment|music|sound|show\s+run)\s+by:?\s+(.{3,60})$/i;

/**
 * The karaoke company a line names: "Karaoke by Encore KJ Services", or a line that is just a
 * company name ("MIC DROP PRODUCTIONS", "Sing It Loud Karaoke").
 */
export function findVendor(text: string): string | null {
  const [, byName] = VENDOR_BY.exec(text) ?? [];
  if (byName) {
    const name = cleanName(byName);
    if (!/^(DJ|KJ|VJ)\b/i.test(name) && /[A-Za-z]{2}/.test(name)) return titleCase(name);
  }
  if (/[!?:\d]/.test(text) || /\b(with|w\/)\s/i.test(text)) return null;
  // A social post's round avatar in front of the page name reads as "O" or "@".
  const [, name, suffix] = VENDOR_LINE.exec(cleanName(text).replace(/^[Oo0@©®Qe]\s+(?=[A-Z])/, "")) ?? [];
  if (!name || !suffix) return null;
  const head = name.split(" ");
  if (head.every((word) => VENDOR_STOP.test(word)) || head.some((word) => DAY_WORD.test(word)) || head.length > 5) return null;
  return titleCase(cleanName(`${name} ${suffix}`));
}

/** "@handle" mentions (not "@ Venue"). */
export function findHandles(text: string): { handles: string[]; spans: Span[] } {
  const handles: string[] = [];
  const spans: Span[] = [];
  for (const m of text.matchAll(/(?<![\w.])@([A-Za-z0-9_.]{2,30})/g)) {
    const [, handle = ""] = m;
    handles.push(`@${handle.replace(/\.$/, "")}`);
    spans.push([m.index, m.index + m[0].length]);
  }
  return { handles, spans };
}
