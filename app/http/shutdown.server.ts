// Stopping the HTTP server the way a deploy or an orchestrator expects: a SIGTERM must not cut a
// request in flight — a signature may be committing while the signer's browser waits for its answer.
import type { Server } from "node:http";
import net, { type Socket } from "node:net";

export interface GracefulServer {
  /**
   * Stops accepting connections; every request in flight, and any request a kept-alive connection
   * is already sending, is answered; each connection then closes at its keep-alive timeout. After
   * `graceMs` whatever is still open is cut. Resolves when the server is closed, saying whether it
   * had to cut anything.
   */
  close(options?: { graceMs?: number }): Promise<{ forced: boolean }>;
}

// How long a connection may stay idle once the server is stopping.
const STOPPING_KEEP_ALIVE_MS = 1_000;

export function graceful(server: Server): GracefulServer {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return {
    close: ({ graceMs = 10_000 } = {}) =>
      new Promise((resolve) => {
        let forced = false;
        // Closing a connection that looks idle races a request the client may be sending on it at
        // this moment (it would see a reset); letting it idle out does not.
        server.keepAliveTimeout = Math.min(server.keepAliveTimeout, STOPPING_KEEP_ALIVE_MS);
        const deadline = setTimeout(() => {
          forced = sockets.size > 0;
          for (const socket of sockets) socket.destroy();
        }, graceMs);
        // net's close, not http's: http's also drops connections whose request has not been read
        // yet, which from the client's side are requests in flight.
        net.Server.prototype.close.call(server, () => {
          clearTimeout(deadline);
          resolve({ forced });
        });
      }),
  };
}
