#!/usr/bin/env -S node --max-old-space-size=1024 --max-semi-space-size=4
// The V8 limits on the first line are the service's memory budget. With the defaults sized for
// this machine's memory, V8 let garbage from uploads pile up between full collections: 10,000
// queued images raised the server to 425 MB resident while its live heap stayed under 60 MB.
// A 1 GB old generation (far above what the service keeps; image bytes live outside it) makes
// it collect sooner, and 4 MB semi-spaces keep each thread's young generation small: under 300 MB.
// `npm start` and `npx showscan` run this file directly so the line applies; `node <this file>`
// runs without them.
//
// Runs the TypeScript CLI in this very process (tsx's loader registered first), so `npx showscan`
// works without a build step and signals reach the service directly, with no wrapper between.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
