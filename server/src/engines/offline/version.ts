/**
 * Names what the offline engine reads and how: bump it when the OCR settings or the text parser
 * change what an image yields, so answers cached under the old reading are not reused.
 */
export const OFFLINE_ENGINE_VERSION = "2";
