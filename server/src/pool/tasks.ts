/**
 * The worker-thread entry: pure task functions over plain data. Nothing here touches the
 * database or any shared state of the main thread.
 */
export { prepareImage as prepare, warmUp as warm } from "./prepare";
export { makeThumbnail as thumbnail } from "./thumbnail";
export { recognizeText as ocr } from "../engines/offline/ocr";
export { threadMemory as memory } from "./memory";
