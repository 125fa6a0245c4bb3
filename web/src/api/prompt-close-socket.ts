/**
 * A browser WebSocket whose close() is over within a second. The WebSocket client closes a
 * socket whose pong does not come (a server that hangs with the connection open); the browser
 * then waits for the server's answer to the close, which a frozen server never sends, so
 * nothing would report the loss for a minute. After a second this socket reports itself closed,
 * and the browser's own close event, when it finally comes, is kept from the listeners: they
 * have moved on to a new socket by then.
 */
export class PromptlyClosingWebSocket extends WebSocket {
  private reported = false;

  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    // Registered first, so it runs before every other listener and can stop them.
    this.addEventListener("close", (event) => {
      if (this.reported && event.isTrusted) event.stopImmediatePropagation();
    });
  }

  override close(code?: number, reason?: string): void {
    super.close(code, reason);
    setTimeout(() => {
      if (this.readyState === WebSocket.CLOSED || this.reported) return;
      this.reported = true;
      this.dispatchEvent(new CloseEvent("close", { code: 1006, reason: "the server did not answer", wasClean: false }));
    }, 1_000);
  }
}
