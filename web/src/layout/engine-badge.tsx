import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../api/trpc";

/** Which engine reads new screenshots, in the header of every page. */
export function EngineBadge() {
  const trpc = useTRPC();
  const engine = useQuery({ ...trpc.engine.current.queryOptions(), staleTime: Number.POSITIVE_INFINITY });
  if (!engine.data) return null;
  return (
    <span className="engine muted small" title={engine.data.hint ?? undefined}>
      reading with <strong>{engine.data.label}</strong>
    </span>
  );
}

/** For admins, on the page they upload from: what a Gemini key would change. */
export function EngineHint() {
  const trpc = useTRPC();
  const engine = useQuery({ ...trpc.engine.current.queryOptions(), staleTime: Number.POSITIVE_INFINITY });
  if (!engine.data?.hint) return null;
  return (
    <p role="note" className="notice">
      {engine.data.hint}
    </p>
  );
}
