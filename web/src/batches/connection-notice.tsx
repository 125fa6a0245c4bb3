/**
 * Shown while the live connection is down: the batch itself runs on the server, so nothing is
 * lost; the WebSocket link reconnects by itself and resumes from the last snapshot it saw.
 */
export function ConnectionNotice({ reconnecting }: { reconnecting: boolean }) {
  if (!reconnecting) return null;
  return (
    <p role="status" className="notice">
      Lost the connection to the server. The batch goes on there; reconnecting…
    </p>
  );
}
