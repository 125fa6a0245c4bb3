import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev`: Vite serves the client with hot reload and hands the API to the service on :3000.
const api = "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  // The links come from @showscan/server/links: one copy of tRPC's client in the bundle, or its
  // errors fail `instanceof TRPCClientError` and a refused token reads as a network failure.
  resolve: { dedupe: ["@trpc/client", "@trpc/server"] },
  server: {
    proxy: {
      "/trpc": { target: api, ws: true },
      "/api": api,
      "/healthz": api,
      "/metrics": api,
    },
  },
});
