import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Link } from "react-router";
import { useTRPC } from "../api/trpc";
import { useSession } from "../auth/session";
import { CatalogFilters } from "../catalog/catalog-filters";
import { CatalogTable } from "../catalog/catalog-table";
import { useCatalogFilters } from "../catalog/use-catalog-filters";
import { ExportButtons } from "../exports/export-buttons";
import { explainError } from "../lib/errors";

const PAGE_SIZE = 50;

/** The catalog: every approved show, for every signed-in user, filtered and a page at a time. */
export function CatalogPage() {
  const trpc = useTRPC();
  const { user } = useSession();
  const filters = useCatalogFilters();
  const shows = useInfiniteQuery(
    trpc.catalog.shows.infiniteQueryOptions(
      { ...filters.input, limit: PAGE_SIZE },
      // The last list stays on screen while a changed filter loads, instead of a blank flash.
      { getNextPageParam: (last) => last.nextCursor, placeholderData: keepPreviousData },
    ),
  );
  const items = useMemo(() => shows.data?.pages.flatMap((page) => page.items) ?? [], [shows.data]);
  const facets = shows.data?.pages[0]?.facets;
  const empty = !filters.active && items.length === 0;

  return (
    <main className="page">
      <div className="row spread page-head">
        <h1>Catalog</h1>
        {!empty && (
          <ExportButtons
            path="/api/export/catalog/shows"
            query={filters.input}
            what={filters.active ? "the approved shows these filters show" : "every approved show"}
          />
        )}
      </div>
      <p className="muted">Approved karaoke shows, the listings singers see.</p>
      <CatalogFilters filters={filters} facets={facets} />

      {shows.isError && (
        <p role="alert" className="error">
          {explainError(shows.error)}
        </p>
      )}
      {shows.isPending ? (
        <p className="muted">Loading…</p>
      ) : items.length === 0 ? (
        !shows.isError && (
          <div className="empty-state">
            {filters.active ? (
              <p>No approved shows match these filters.</p>
            ) : (
              <>
                <p>
                  <strong>No approved shows yet.</strong>
                </p>
                <p className="muted">
                  Approve shows in a batch's results to add them here
                  {user.role === "admin" ? (
                    <>
                      : open a batch from the <Link to="/history">History</Link> page once it has ended.
                    </>
                  ) : (
                    ": an admin reviews the shows people submit."
                  )}
                </p>
              </>
            )}
          </div>
        )
      ) : (
        <CatalogTable shows={items} more={shows.hasNextPage} />
      )}
      {shows.hasNextPage && (
        <div className="load-more">
          <button type="button" onClick={() => void shows.fetchNextPage()} disabled={shows.isFetchingNextPage}>
            {shows.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
    </main>
  );
}
