import type { AppRouter } from "@showscan/server";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

type Outputs = inferRouterOutputs<AppRouter>;
type Inputs = inferRouterInputs<AppRouter>;

export type { BatchProgress } from "@showscan/server";
export type BatchDetail = Outputs["batch"]["byId"];
export type BatchMetrics = NonNullable<BatchDetail["metrics"]>;
export type BatchImage = Outputs["batch"]["images"][number];
export type BatchAttempt = BatchImage["attempts"][number];
export type BatchResults = Outputs["batch"]["results"];
export type MergedShow = BatchResults["shows"][number];
export type BatchListItem = Outputs["batch"]["list"]["items"][number];
export type Settings = Outputs["settings"]["get"];
export type Rejection = Outputs["batch"]["analyze"]["rejected"][number];
export type BatchStatus = BatchListItem["status"];
export type AttemptOutcome = BatchAttempt["outcome"];
export type SettingsPatch = Inputs["settings"]["update"];
export type ReviewState = MergedShow["review"];
export type ItemMatch = MergedShow["match"];
export type ReviewDecision = Outputs["review"]["approve"][number];
export type CatalogPage = Outputs["catalog"]["shows"];
export type CatalogShow = CatalogPage["items"][number];
export type CatalogFacets = CatalogPage["facets"];
export type CatalogFilter = NonNullable<Inputs["catalog"]["shows"]>;
export type Weekday = MergedShow["dayOfWeek"];
