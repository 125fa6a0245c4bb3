import { emptyExtraction, type Extraction } from "../../extraction/schema";
import { EngineError, type Engine, type EngineResult, type PreparedImage } from "../types";
import type { OcrInput, OcrOutput } from "./ocr";
import { parseScheduleText } from "./parse-text";

export interface OfflineEngineDeps {
  /** OCR off the main thread: the worker pool's `ocr` task. */
  ocr: (input: OcrInput, signal: AbortSignal) => Promise<OcrOutput>;
}

const MODEL = "tesseract-eng";

/** Reads a schedule with OCR and a text parser: no key, no network. */
export function createOfflineEngine(deps: OfflineEngineDeps): Engine {
  return {
    name: "offline",
    model: MODEL,
    async analyze(image: PreparedImage, signal: AbortSignal): Promise<EngineResult> {
      signal.throwIfAborted();
      let ocr: OcrOutput;
      try {
        ocr = await deps.ocr({ bytes: image.bytes }, signal);
      } catch (error) {
        if (signal.aborted) throw error;
        throw new EngineError(`OCR failed: ${error instanceof Error ? error.message : String(error)}`, "retryable");
      }
      signal.throwIfAborted();

      let extraction: Extraction;
      try {
        extraction = ocr.text.trim() ? parseScheduleText(ocr.text, { ocrConfidence: ocr.confidence, lines: ocr.lines }) : emptyExtraction();
      } catch (error) {
        // The parser is deterministic: the same text would fail again.
        throw new EngineError(`cannot parse OCR text: ${error instanceof Error ? error.message : String(error)}`, "permanent");
      }
      return { extraction, usage: { promptTokens: null, outputTokens: null, model: MODEL, httpStatus: null } };
    },
  };
}
