import { describe, expect, it, vi } from "vitest";
import { EngineError, type PreparedImage } from "../types";
import { createOfflineEngine } from "./engine";

const image: PreparedImage = { bytes: new Uint8Array([1, 2, 3]), mimeType: "image/jpeg", fileName: "flyer.jpg" };
const POSTER = `KARAOKE NIGHT\nEVERY TUESDAY\n7:30 PM - 11:30 PM\nat Murphy's Pub\nHosted by KJ Sarah`;
const wordsOf = (text: string, confidence: number) =>
  text.split("\n").map((line) => line.split(" ").map((word) => ({ text: word, confidence })));

describe("offline engine", () => {
  it("runs OCR on the prepared bytes and parses the text", async () => {
    const ocr = vi.fn(async () => ({ text: POSTER, confidence: 0.9, lines: wordsOf(POSTER, 0.9) }));
    const engine = createOfflineEngine({ ocr });
    const signal = new AbortController().signal;

    const result = await engine.analyze(image, signal);

    expect(engine.name).toBe("offline");
    expect(engine.model).toBe("tesseract-eng");
    expect(ocr).toHaveBeenCalledWith({ bytes: image.bytes }, signal);
    expect(result.extraction.shows).toEqual([
      expect.objectContaining({
        venueName: "Murphy's Pub",
        dayOfWeek: "tuesday",
        startTime: "19:30",
        endTime: "23:30",
        djName: "KJ Sarah",
      }),
    ]);
    expect(result.extraction.shows[0]!.confidence).toBeLessThanOrEqual(0.9);
    expect(result.usage).toEqual({ promptTokens: null, outputTokens: null, model: "tesseract-eng", httpStatus: null });
  });

  it("answers an image with no readable text with an empty extraction", async () => {
    const engine = createOfflineEngine({ ocr: async () => ({ text: "  \n ", confidence: 0, lines: [] }) });
    const result = await engine.analyze(image, new AbortController().signal);
    expect(result.extraction).toEqual({ shows: [], venues: [], djs: [], vendors: [] });
  });

  it("turns an OCR failure into a retryable engine error", async () => {
    const engine = createOfflineEngine({
      ocr: async () => {
        throw new Error("worker exited");
      },
    });
    const failure = engine.analyze(image, new AbortController().signal);
    await expect(failure).rejects.toBeInstanceOf(EngineError);
    await expect(failure).rejects.toMatchObject({ errorClass: "retryable", message: expect.stringContaining("worker exited") });
  });

  it("rethrows when the attempt is aborted", async () => {
    const controller = new AbortController();
    const aborted = new Error("aborted by caller");
    const engine = createOfflineEngine({
      ocr: (_input, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener("abort", () => reject(aborted));
        }),
    });
    const pending = engine.analyze(image, controller.signal);
    controller.abort("cancelled");
    await expect(pending).rejects.toBe(aborted);

    const ocr = vi.fn();
    await expect(createOfflineEngine({ ocr }).analyze(image, AbortSignal.abort("gone"))).rejects.toBe("gone");
    expect(ocr).not.toHaveBeenCalled();
  });
});
