import { constants } from "node:fs";
import { access, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "./errors";
import { resolveUserPath } from "./paths";

/** File names a folder is searched for; a file named on the command line is sent whatever its name. */
export const IMAGE_EXTENSIONS = [".jpg", ".jpeg", ".png", ".webp", ".gif"];

export interface InputFile {
  /** Absolute path. */
  path: string;
  /** The name sent with the upload. */
  name: string;
  size: number;
}

export interface Collected {
  files: InputFile[];
  /** Entries of the given folders that were not taken: other files and subfolders. */
  skipped: string[];
}

const byName = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });

function unreadable(arg: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === "ENOENT" ? "no such file or folder" : code === "EACCES" || code === "EPERM" ? "permission denied" : (error as Error).message;
  return new UsageError(`cannot read ${arg}: ${why}`);
}

/**
 * The files to upload: each argument is a file or a folder whose image files (top level only,
 * dotfiles left out) are taken in name order. A path that cannot be read is a usage error.
 */
export async function collectFiles(args: string[], base?: string): Promise<Collected> {
  const files: InputFile[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  const add = async (arg: string, full: string) => {
    if (seen.has(full)) return;
    seen.add(full);
    try {
      const info = await stat(full);
      await access(full, constants.R_OK);
      files.push({ path: full, name: path.basename(full), size: info.size });
    } catch (error) {
      throw unreadable(arg, error);
    }
  };

  for (const arg of args) {
    const full = resolveUserPath(arg, base);
    const info = await stat(full).catch((error: unknown) => {
      throw unreadable(arg, error);
    });
    if (!info.isDirectory()) {
      await add(arg, full);
      continue;
    }
    const entries = await readdir(full, { withFileTypes: true }).catch((error: unknown) => {
      throw unreadable(arg, error);
    });
    for (const entry of entries.filter((e) => !e.name.startsWith(".")).sort((a, b) => byName(a.name, b.name))) {
      const child = path.join(full, entry.name);
      const isFile =
        entry.isFile() ||
        (entry.isSymbolicLink() &&
          (await stat(child).then(
            (s) => s.isFile(),
            () => false,
          )));
      if (isFile && IMAGE_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) await add(path.join(arg, entry.name), child);
      else skipped.push(path.join(arg, entry.name) + (entry.isDirectory() ? "/" : ""));
    }
  }
  if (files.length === 0) throw new UsageError(`no image files (${IMAGE_EXTENSIONS.join(", ")}) in ${args.join(", ")}`);
  return { files, skipped };
}
