#!/usr/bin/env -S node --max-old-space-size=1024 --max-semi-space-size=4
// The V8 limits on the first line are the service's memory budget: with limits sized from the
// machine's memory, V8 lets upload garbage pile up between full collections (the figures are in
// the README, "Memory that stays flat"). `npm start` and `npx showscan` run this file directly
// so the line applies; `node <this file>` runs without them.
//
// Runs the TypeScript CLI in this very process (tsx's loader registered first), so `npx showscan`
// works without a build step and signals reach the service directly, with no wrapper between.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
