export interface OcrInput {
  bytes: Uint8Array;
}
export interface OcrOutput {
  text: string;
  confidence: number;
}

export async function recognizeText(_input: OcrInput): Promise<OcrOutput> {
  throw new Error("offline OCR is not built yet");
}
