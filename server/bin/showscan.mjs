#!/usr/bin/env node
// Runs the TypeScript CLI in this very process (tsx's loader registered first), so `npx showscan`
// works without a build step and signals reach the service directly, with no wrapper between.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
