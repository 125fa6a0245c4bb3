import { Suspense } from "react";
import { NavLink, Outlet } from "react-router";
import { useSession } from "../auth/session";
import { EngineBadge } from "./engine-badge";

/** The frame of every page: where you are, what you may open, who you are signed in as. */
export function Shell() {
  const { user, signOut } = useSession();
  const admin = user.role === "admin";
  return (
    <>
      <header className="topbar">
        <NavLink to="/" className="brand">
          showscan
        </NavLink>
        <nav aria-label="Main">
          <NavLink to="/submit">Submit</NavLink>
          {admin && <NavLink to="/admin">Admin parser</NavLink>}
          <NavLink to="/history">History</NavLink>
          <NavLink to="/catalog">Catalog</NavLink>
          <NavLink to="/reports">Reports</NavLink>
          {admin && <NavLink to="/settings">Settings</NavLink>}
        </nav>
        <div className="who">
          <EngineBadge />
          <span>
            {user.sub} <span className="muted">({user.role})</span>
          </span>
          <button type="button" className="link" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <Suspense fallback={<p className="status-line">Loading…</p>}>
        <Outlet />
      </Suspense>
    </>
  );
}

/** A page only admins may open: anyone else is told so, not shown a blank page. */
export function AdminOnly({ children }: { children: React.ReactNode }) {
  const { user } = useSession();
  if (user.role === "admin") return children;
  return (
    <main className="page narrow">
      <h1>Admins only</h1>
      <p role="alert" className="error">
        This page is for admins. You are signed in as {user.sub}, a user: you can submit shows and see your own batches.
      </p>
    </main>
  );
}
