/** "4.2s", "45s", "3m 05s", "1h 02m": durations as people read them. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.round(s)}s`;
  const total = Math.round(s);
  if (total < 3600) return `${Math.floor(total / 60)}m ${String(total % 60).padStart(2, "0")}s`;
  return `${Math.floor(total / 3600)}h ${String(Math.floor((total % 3600) / 60)).padStart(2, "0")}m`;
}

/** What a person is told while the key's daily quota holds a batch back, in their local time. */
export const pausedText = (resumesAt: string) =>
  `Paused: the Gemini key's daily quota is used up, resumes at ${new Date(resumesAt).toLocaleString()}`;

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
