/** Control characters (C0, DEL, C1) have no place in a stored name: they garble logs and terminals. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const MAX_NAME_LENGTH = 255;

/**
 * The name an upload is stored and shown under: its last path segment only (a name such as
 * `../../etc/passwd.png` says nothing about where it was), without control characters; emoji
 * and other printable Unicode stay as sent.
 */
export function safeFileName(sent: string): string {
  const base = sent.normalize("NFC").split(/[/\\]/).at(-1) ?? "";
  const clean = base.replace(CONTROL, "").trim();
  return clean === "" || clean === "." || clean === ".." ? "unnamed" : [...clean].slice(0, MAX_NAME_LENGTH).join("");
}
