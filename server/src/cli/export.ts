import { writeFile } from "node:fs/promises";
import path from "node:path";
import { withServer } from "./connect";
import { EXIT, UsageError } from "./errors";
import { writableFile } from "./paths";

export interface ExportOptions {
  batch?: string;
  catalog?: boolean;
  format: "csv" | "json";
  out?: string;
  server?: string;
  token?: string;
}

/**
 * `showscan export`: a batch's merged shows, or the catalog's approved shows, as CSV or JSON,
 * to a file or to stdout. The same download the API and the web app give.
 */
export async function exportCommand(opts: ExportOptions): Promise<number> {
  if (Boolean(opts.batch) === Boolean(opts.catalog)) throw new UsageError("name what to export: --batch BATCH_ID or --catalog");
  const outFile = opts.out ? await writableFile(opts.out, "--out") : null;
  const route = opts.batch
    ? `/api/export/batches/${encodeURIComponent(opts.batch)}/shows.${opts.format}`
    : `/api/export/catalog/shows.${opts.format}`;

  return withServer(opts, async (target) => {
    const response = await fetch(`${target.url}${route}`, { headers: { authorization: `Bearer ${target.token}` } });
    const body = await response.text();
    if (!response.ok) {
      const reason = (JSON.parse(body) as { error?: string }).error ?? `HTTP ${response.status}`;
      process.stderr.write(`showscan: ${reason}\n`);
      return EXIT.failed;
    }
    if (!outFile) {
      process.stdout.write(body);
      return EXIT.ok;
    }
    await writeFile(outFile, body);
    const rows = opts.format === "json" ? (JSON.parse(body) as unknown[]).length : Math.max(0, body.trimEnd().split("\n").length - 1);
    process.stderr.write(`✅ ${rows} show${rows === 1 ? "" : "s"} written to ${path.relative(process.cwd(), outFile) || outFile}\n`);
    return EXIT.ok;
  });
}
