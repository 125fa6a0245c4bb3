/** What other packages use of the server: the router's type and the typed client. */
export type { AppRouter } from "./trpc/routers/index";
export { createApiClient, type ApiClient } from "./api-client";
export type { BatchProgress } from "./pipeline/progress";
export type { MergedResults } from "./extraction/merge";
