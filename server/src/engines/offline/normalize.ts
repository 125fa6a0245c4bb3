import { repairAddressNumbers, repairDayWord, repairTimes } from "./repairs";

/** Repairs the OCR mistakes that break field parsing, leaving everything else as read. */
export function normalizeLine(raw: string): string {
  const read = raw
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/[\u2018\u2019\u201B`´]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[•·●▪►★☆♪♫*■«»]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    // "|" is tesseract's favourite reading of a capital I (of an l between lower-case letters);
    // a free-standing one is a separator.
    .replace(/(?<=[a-z])\|(?=[a-z])/g, "l")
    .replace(/\|(?=[A-Za-z])/g, "I")
    .replace(/(?<=[A-Z])\|/g, "I")
    .replace(/\b[A-Z]+l[A-Z]+\b/g, (word) => word.replace(/l/g, "I"))
    // DJ/KJ read as D], K), D)J, Dj, 0J...
    .replace(/\b([DdKk])(?:[\])}|]?[Jj][\])}|]?|[\])}|]{1,2})(?=\s)/g, (_, letter: string) => `${letter.toUpperCase()}J`)
    .replace(/\b0J\b/g, "DJ")
    .replace(/(?<=\b(?:with|w\/|by|host|hosted by)\s)([DK])[Il1](?=\s+[A-Z])/gi, (_, letter: string) => `${letter.toUpperCase()}J`)
    .replace(/ w\s?\/(?=\s)/gi, " w/")
    // "1lam": a stray l between the hour and am/pm. Before "am" it is noise (1am), before "pm"
    // it is a misread 1 (11pm): karaoke ends at 1am far more often than at 11am.
    .replace(/(\d)[lI|](?=\s?[aA]\.?[mM]\b)/g, "$1")
    .replace(/(\d)[lI|](?=\s?[pP]\.?[mM]\b)/g, (_, digit: string) => `${digit}1`)
    .replace(/(?<=\d\s?[aApP]\.?[mM]\s?-\s?)[lI|T]{1,2}(?=\s?[aApP]\.?[mM]\b)/g, (ones) => "1".repeat(ones.length))
    .replace(/\b[\dOoIl|]{1,2}[:.][\dOoIl|]{2}\b/g, fixDigits)
    .replace(/\b[\dOoIl]{1,2}(?=\s?[aApP]\.?[mM]\b)/g, fixDigits)
    .replace(/\(?[\dOoIl]{3}\)?[\s.-]?[\dOoIl]{3}[\s.-][\dOoIl]{4}\b/g, fixDigits);
  return repairAddressNumbers(repairTimes(read.replace(/(?<![\w'])[A-Za-z0-9|!]{3,9}(?![\w'])/g, repairDayWord)));
}

function fixDigits(token: string): string {
  if (!/\d/.test(token)) return token;
  return token.replace(/[Oo]/g, "0").replace(/[Il|]/g, "1");
}

const KEEP_UPPER = new Set(["DJ", "KJ", "VJ", "MC", "BBQ", "VFW", "LLC", "II", "III", "IV", "TV", "USA", "AMVETS"]);
const SMALL_WORDS = new Set(["of", "at", "on", "in", "by", "and", "the", "a", "an", "for", "to"]);

/** Title-cases text printed all in capitals or all in lower case ("O'REILLY'S TAVERN" -> "O'Reilly's Tavern"); mixed case is kept. */
export function titleCase(text: string): string {
  const capitals = !/[a-z]/.test(text) && /[A-Z].*[A-Z]/.test(text);
  const lower = !/[A-Z]/.test(text) && /[a-z]/.test(text);
  if (!capitals && !lower) return text;
  return text
    .split(" ")
    .map((word, index) => {
      if (KEEP_UPPER.has(word.toUpperCase())) return word.toUpperCase();
      const lower = word.toLowerCase();
      if (index > 0 && SMALL_WORDS.has(lower)) return lower;
      return lower
        .replace(/^[a-z]/, (c) => c.toUpperCase())
        .replace(/^(O'|Mc)([a-z])/, (_, head: string, c: string) => head + c.toUpperCase())
        .replace(/-([a-z])/g, (_, c: string) => `-${c.toUpperCase()}`);
    })
    .join(" ");
}

/** Trims separators, stray punctuation and specks that OCR leaves around a name. */
export function cleanName(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .replace(/^(?:\S*[^\s\p{L}\p{N}'&.,:|\-–/@]\S*\s+)+/u, "")
    .replace(/(?:\s+\S*[^\s\p{L}\p{N}'&.,:|\-–/!)]\S*)+$/u, "")
    .replace(/^[\s\-–:|,.;/'"~=_>)\]}]+/, "")
    .replace(/[\s\-–:|,;/'"~=_<([{]+$/, "")
    .replace(/(?<![A-Z])\.$/, "")
    .replace(/!+$/, "")
    .trim();
}
