import { WEEKDAYS } from "../../extraction/schema";

/**
 * OCR confuses letters and digits that look alike (O/0, l/1, S/5, rn/m). Each repair here
 * rewrites a token only when the rewritten token then reads as something the schedule's
 * structure expects at that place (a weekday, a time, a house number or zip); anything else
 * stays as read.
 */

const DAY_WORDS = new Set([...WEEKDAYS, ...WEEKDAYS.map((d) => `${d}s`), ..."mon tue tues wed weds thu thur thurs fri sat sun".split(" ")]);

/** Letters OCR reads for the letters of a day's name: 1, l and | for i, 0 for o, 5 for s, rn for m. */
function asLetters(word: string): string {
  return word.toLowerCase().replace(/rn/g, "m").replace(/[1|!]/g, "i").replace(/0/g, "o").replace(/5/g, "s").replace(/vv/g, "w");
}

/** "FRl" -> "FRI", "Rnonday" -> "Monday", "TUE5DAY" -> "TUESDAY": only when the result is a day word. */
export function repairDayWord(word: string): string {
  if (DAY_WORDS.has(word.toLowerCase())) return word;
  const letters = asLetters(word);
  // An l is a valid letter of no day name ("l" for "i": "Frl", "Tuesdaly" is not repaired).
  const repaired = DAY_WORDS.has(letters) ? letters : letters.replace(/l/g, "i");
  if (!DAY_WORDS.has(repaired)) return word;
  const upper = word === word.toUpperCase();
  return upper ? repaired.toUpperCase() : repaired.slice(0, 1).toUpperCase() + repaired.slice(1);
}

/** Digits for the letters OCR reads in a number: O and o for 0, l, I and | for 1, S for 5. */
const asDigits = (token: string) => token.replace(/[Oo]/g, "0").replace(/[lI|]/g, "1").replace(/S/g, "5");

/**
 * A clock time with letters for digits before am/pm or in its minutes: "S:30PM" -> "5:30PM",
 * "1O:OO PM" -> "10:00 PM", "SPM" -> "5PM". Only when the repaired time is a valid clock time.
 */
export function repairTimes(line: string): string {
  return line
    .replace(
      /(?<![\w:])([\dOolIS|]{1,2})([:.])([\dOolIS|]{2})(?=\s?[aApP]\.?[mM]\b|\s?-|\s|$)/g,
      (whole, h: string, sep: string, m: string) => {
        if (!/\d/.test(h + m)) return whole;
        const hour = Number(asDigits(h));
        const minute = Number(asDigits(m));
        return hour <= 23 && minute <= 59 && /^\d+$/.test(asDigits(h + m)) ? `${asDigits(h)}${sep}${asDigits(m)}` : whole;
      },
    )
    .replace(/(?<![\w:])([\dOolIS|]{1,2})(?=\s?[aApP]\.?[mM]\b)/g, (whole, h: string, at: number, all: string) => {
      // Without a digit only "SPM" (no space): "I am" is prose.
      if (!/\d/.test(h) && !(h === "S" && /^[AaPp]/.test(all.slice(at + 1)))) return whole;
      const digits = asDigits(h);
      return /^\d+$/.test(digits) && Number(digits) >= 1 && Number(digits) <= 12 ? digits : whole;
    });
}

/**
 * A house number at the start of a street ("l450 W 5th Ave" -> "1450 W 5th Ave", "S219 W Lovers
 * Ln") and a zip after a state code ("OH 4321O"), when the token then is all digits.
 */
export function repairAddressNumbers(line: string): string {
  return line
    .replace(/^([\dOlIS]{2,6})(?=\s+(?:[NSEW]\.?\s+)?[A-Z0-9][a-z])/, (token: string) => {
      const digits = asDigits(token);
      return /\d/.test(token) && /^\d+$/.test(digits) ? digits : token;
    })
    .replace(/(?<=\b[A-Z]{2},?\s)([\dOlIS]{5})\b/g, (token: string) => {
      const digits = asDigits(token);
      return /\d{3}/.test(token) && /^\d{5}$/.test(digits) ? digits : token;
    });
}
