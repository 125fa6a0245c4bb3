import { describeUploadMemory, measureUploadMemory, uploadMemoryRow } from "./parts/upload-memory";
import { SUMMARY_HEADERS, summaryCells, textTable, type Row } from "./report";
import { settings } from "./settings";

/**
 * One part of the benchmark on its own, printed as its rows of the summary, without rewriting
 * BENCHMARKS.md: `npm run bench:part -w @showscan/test -- upload-memory`.
 */
const PARTS: Record<string, () => Promise<Row[]>> = {
  "upload-memory": async () => {
    const result = await measureUploadMemory(settings.uploadImages);
    console.log(describeUploadMemory(result));
    return [uploadMemoryRow(result)];
  },
};

const name = process.argv[2] ?? "";
const part = PARTS[name];
if (!part) {
  console.error(`name a part: ${Object.keys(PARTS).join(", ")} (got ${JSON.stringify(name)})`);
  process.exit(2);
}
console.log(textTable(SUMMARY_HEADERS, summaryCells(await part())));
