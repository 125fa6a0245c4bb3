import type { z } from "zod";

/** Schema issues as one line a person can act on: `defaultWorkers: Too big: expected number to be <=5`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => (issue.path.length ? `${issue.path.map(String).join(".")}: ${issue.message}` : issue.message)).join("; ");
}
