import type { Engine } from "./types";

/** What a person is told about the engine reading their screenshots, the same wherever it is shown. */
export interface EngineInfo {
  name: string;
  model: string | null;
  /** A short name for a header or a log line: "Gemini gemini-2.5-flash", "offline OCR". */
  label: string;
  /** Set for the offline engine: what a Gemini key would change. */
  hint: string | null;
}

export const OFFLINE_HINT =
  "No Gemini key: screenshots are read by offline OCR. A Gemini key (GEMINI_API_KEY) gives better results on hard images: photos, thumbnails, busy pages.";

export function describeEngine(engine: Pick<Engine, "name" | "model">): EngineInfo {
  if (engine.name === "gemini") return { name: engine.name, model: engine.model, label: `Gemini ${engine.model ?? ""}`.trim(), hint: null };
  if (engine.name === "offline") return { name: engine.name, model: engine.model, label: "offline OCR", hint: OFFLINE_HINT };
  return { name: engine.name, model: engine.model, label: engine.name, hint: null };
}
