import { lazy } from "react";
import { createBrowserRouter, Navigate } from "react-router";
import { useSession } from "./auth/session";
import { AdminOnly, Shell } from "./layout/shell";
import { SubmitPage } from "./routes/submit-page";

// A singer's phone loads the submit page only; the admin pages (tables, charts) come when opened.
const AdminPage = lazy(() => import("./routes/admin-page").then((m) => ({ default: m.AdminPage })));
const BatchPage = lazy(() => import("./routes/batch-page").then((m) => ({ default: m.BatchPage })));
const CatalogPage = lazy(() => import("./routes/catalog-page").then((m) => ({ default: m.CatalogPage })));
const HistoryPage = lazy(() => import("./routes/history-page").then((m) => ({ default: m.HistoryPage })));
// Recharts is heavy: the reports' charts come in their own chunk.
const ReportsPage = lazy(() => import("./routes/reports-page").then((m) => ({ default: m.ReportsPage })));
const SettingsPage = lazy(() => import("./routes/settings-page").then((m) => ({ default: m.SettingsPage })));

function Home() {
  const { user } = useSession();
  return <Navigate to={user.role === "admin" ? "/admin" : "/submit"} replace />;
}

function NotFound() {
  return (
    <main className="page narrow">
      <h1>Page not found</h1>
      <p>There is no page at this address.</p>
    </main>
  );
}

/** Real URLs that survive a reload: the server answers every one of them with the app. */
export const router = createBrowserRouter([
  {
    element: <Shell />,
    children: [
      { index: true, element: <Home /> },
      { path: "submit", element: <SubmitPage /> },
      {
        path: "admin",
        element: (
          <AdminOnly>
            <AdminPage />
          </AdminOnly>
        ),
      },
      { path: "batches/:batchId", element: <BatchPage /> },
      { path: "history", element: <HistoryPage /> },
      { path: "catalog", element: <CatalogPage /> },
      { path: "reports", element: <ReportsPage /> },
      {
        path: "settings",
        element: (
          <AdminOnly>
            <SettingsPage />
          </AdminOnly>
        ),
      },
      { path: "*", element: <NotFound /> },
    ],
  },
]);
