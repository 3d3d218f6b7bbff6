import net from "node:net";

/**
 * A TCP proxy between the app and PostgreSQL that a test can break: `cut()` drops every open
 * connection at once (as a crashed server or a network fault would), `down()` also stops
 * accepting (connections are refused, as during a restart) until `up()`.
 */
export interface TcpProxy {
  port: number;
  /** Connections currently relayed. */
  readonly open: number;
  cut(): void;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy({ host, port }: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    const pair = { client, upstream };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (listenPort: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(listenPort, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  await listen(0);
  const ownPort = (server.address() as net.AddressInfo).port;
  const cut = () => {
    for (const { client, upstream } of pairs) {
      // resetAndDestroy: the app sees ECONNRESET, as when a server dies, not an orderly close.
      client.resetAndDestroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  return {
    port: ownPort,
    get open() {
      return pairs.size;
    },
    cut,
    async down() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        cut();
      });
    },
    up: () => listen(ownPort),
    async close() {
      cut();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
