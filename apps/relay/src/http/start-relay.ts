import type { AddressInfo, Socket } from 'node:net';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import { pino, type Logger } from 'pino';
import { StreamHub } from '../hub/stream-hub';
import { RelayMetrics } from '../metrics/relay-metrics';
import { registerOfrepRoutes } from '../ofrep/ofrep-routes';
import type { FlagStore } from '../store/flag-store';
import { AccessKeys } from './access-keys';
import { registerAdminApi } from './admin/admin-api';
import { registerHealthRoutes } from './health-routes';
import { HttpProblem, problemFromError, sendProblem } from './http-problem';
import { registerJsonBodyParser } from './json-body-parser';
import { OpenApiCollector } from './openapi';
import { redactUrl } from './redact-url';
import { resolveRelayConfig, type RelayServerConfig } from './relay-options';
import { SdkCors } from './sdk-cors';
import { registerSdkRoutes, type SdkRouteDeps } from './sdk-routes';
import { SseStreams } from './sse-streams';
import { StaticUi } from './static-ui';
import { WsGateway } from './ws-gateway';

/** Options of `startRelay`. */
export interface StartRelayOptions {
  config: RelayServerConfig;
  /** An opened store; the relay reads and writes through it but does not close it. */
  store: FlagStore;
  /** Default: pino JSON on stdout at `info`. Keys and tokens are never logged. */
  logger?: Logger;
  /** How long `close()` waits for streams and requests to end before cutting them. Default 2,000 ms
   * (clients were told to reconnect; a restart should not keep thousands of them waiting). */
  shutdownGraceMs?: number;
}

/** A listening relay. */
export interface RunningRelay {
  /** `http://host:port`. */
  url: string;
  port: number;
  /**
   * The web page served at `/` (config `ui.dir`), and whether its directory held an
   * `index.html` at start. Undefined when no `ui.dir` is configured.
   */
  ui?: { url: string; dir: string; present: boolean };
  /** Stops accepting, asks every stream to reconnect elsewhere, and resolves once all are closed. */
  close(): Promise<void>;
}

const QUIET_URLS = new Set(['/healthz', '/readyz', '/metrics']);

/** Starts the relay's HTTP side: SDK streams, OFREP, admin API and operations endpoints on one listener. */
export async function startRelay(options: StartRelayOptions): Promise<RunningRelay> {
  const config = resolveRelayConfig(options.config);
  const { store } = options;
  // Credentials never reach the logs: headers are not logged, URLs are redacted, and these
  // paths are censored should anything log a request anyway.
  const logger = (options.logger ?? pino({ level: 'info' })).child(
    { component: 'relay-http' },
    {
      redact: [
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'headers.authorization',
        'headers["x-api-key"]',
      ],
    },
  );
  let closing = false;
  const isClosing = (): boolean => closing;

  // Scraped lazily, so the metrics can exist before the hub they observe.
  const metrics: RelayMetrics = new RelayMetrics(() =>
    Object.keys(config.environments).map(
      (environment) => [environment, hub.feed(environment)?.version ?? 0] as [string, number],
    ),
  );
  const hub: StreamHub = new StreamHub({
    store,
    environments: config.environments,
    ringSize: config.changeRing,
    maxSubscriberBufferBytes: config.limits.maxSubscriberBufferBytes,
    maxConnectionAgeMs: config.limits.maxConnectionAgeMs,
    observer: metrics,
  });
  const keys = new AccessKeys(config);
  const cors = new SdkCors(config.environments);
  const sse = new SseStreams({ heartbeatMs: config.heartbeatMs });
  const openapi = new OpenApiCollector('/admin/v1', {
    title: 'Switchyard relay admin API',
    version: '1',
  });

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Fastify's request lines would log raw URLs (with ?key=); onResponse logs redacted ones.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.limits.bodyBytes,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
    return503OnClosing: true,
  });
  app.addHook('onRoute', openapi.onRoute);
  // Response schemas document; JSON.stringify serializes (no field is silently dropped).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  registerJsonBodyParser(app);
  app.addHook('onResponse', async (request, reply) => {
    // Admin requests are worth a line each; SDK and OFREP reads (thousands per second from
    // polling fleets) and health probes are debug, and cost nothing when it is off.
    const level =
      QUIET_URLS.has(request.url) || !request.url.startsWith('/admin/') ? 'debug' : 'info';
    if (!(request.log as unknown as Logger).isLevelEnabled(level)) return;
    request.log[level](
      {
        method: request.method,
        url: redactUrl(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });
  app.setErrorHandler((error, request, reply) => {
    const problem = problemFromError(error);
    if (problem.status >= 500)
      request.log.error({ err: error, url: redactUrl(request.url) }, 'request failed');
    return sendProblem(reply, problem);
  });
  // The web UI (a built page) fills in only where no route matched: it never shadows the API.
  const ui = config.ui.dir === undefined ? undefined : new StaticUi(config.ui.dir);
  app.setNotFoundHandler(async (request, reply) => {
    if (ui !== undefined && (await ui.serve(request, reply))) return reply;
    return sendProblem(
      reply,
      new HttpProblem(
        'not-found',
        `no route ${request.method} ${redactUrl(request.url).split('?')[0]}`,
      ),
    );
  });
  cors.register(app, ['/sdk', '/ofrep']);

  hub.start();
  const sdkDeps: SdkRouteDeps = {
    hub,
    keys,
    cors,
    sse,
    maxConnections: config.limits.maxConnections,
    isClosing,
  };
  registerHealthRoutes(app, { store, metrics, isClosing });
  registerSdkRoutes(app, sdkDeps);
  registerOfrepRoutes(app, sdkDeps);
  registerAdminApi(app, { store, metrics, keys, openapi });

  const gateway = new WsGateway({
    hub,
    keys,
    cors,
    logger,
    heartbeatMs: config.heartbeatMs,
    maxConnections: config.limits.maxConnections,
  });
  await app.ready();
  gateway.attach(app.server);
  // Clients (undici among them) open spare connections that may never carry a request;
  // server.close() would wait for them, so close() drops those that never sent a byte.
  const sockets = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  try {
    // A deep accept queue: a reconnect herd of thousands must not overflow the default 511.
    await app.listen({ host: config.listen.host, port: config.listen.port, backlog: 4096 });
  } catch (error) {
    // Port taken, say: leave nothing running behind the error.
    gateway.shutdown();
    hub.stop('shutdown');
    sse.stop();
    await app.close();
    throw error;
  }
  const { port } = app.server.address() as AddressInfo;
  const host = config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host;
  const url = `http://${host}:${port}`;
  let uiInfo: RunningRelay['ui'];
  if (ui !== undefined) {
    uiInfo = { url: `${url}/`, dir: ui.dir, present: await ui.present() };
    if (uiInfo.present) logger.info({ dir: ui.dir, url: uiInfo.url }, 'serving the web UI');
    else
      logger.warn(
        { dir: ui.dir },
        'ui.dir has no index.html: nothing is served at / until it is built (the demo page: pnpm build)',
      );
  }

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      const stopped = app.close(); // stops listening; in-flight requests finish
      for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy();
      gateway.shutdown(); // WebSockets: close 1012, reconnect elsewhere
      hub.stop('shutdown'); // SSE: a retry hint, then the end of the stream
      sse.stop();
      const grace = new Promise<void>((resolve) =>
        setTimeout(resolve, options.shutdownGraceMs ?? 2000).unref(),
      );
      await Promise.race([stopped, grace]);
      gateway.terminateAll();
      sse.destroyAll();
      app.server.closeAllConnections();
      await stopped;
    })();
    return closed;
  };
  return { url, port, ...(uiInfo === undefined ? {} : { ui: uiInfo }), close };
}
