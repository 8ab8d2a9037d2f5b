import {
  DEMO_ADMIN_TOKEN,
  DEMO_CLIENT_KEY,
  DEMO_ENVIRONMENT,
  DEMO_SERVER_KEY,
} from './demo-config';

/** The demo page as `startRelay` reports it (`RunningRelay.ui`). */
export interface DemoPage {
  url: string;
  dir: string;
  present: boolean;
}

/** The banner's line about the demo page: where to open it, or how to build it. */
function demoPageLines(page: DemoPage | undefined): string[] {
  if (page === undefined) return [];
  if (page.present) return [`  demo page    ${page.url}   <- open this in a browser`];
  return [
    `  demo page    not built yet: run \`pnpm build\` (or \`pnpm --filter @switchyard/demo-web build\`),`,
    `               then open ${page.url} (served from ${page.dir})`,
  ];
}

/** The human-readable text `--demo` prints on start: where everything is, and the keys to use. */
export function formatDemoBanner(
  url: string,
  dataDir: string,
  seeded: boolean,
  page?: DemoPage,
): string {
  const ws = url.replace(/^http/, 'ws');
  return [
    '',
    `Switchyard relay demo is running at ${url}`,
    ...demoPageLines(page),
    `  data dir     ${dataDir} (${seeded ? 'seeded with the demo flags' : 'existing state kept'})`,
    `  environment  ${DEMO_ENVIRONMENT}`,
    '',
    'Keys (demo only: anyone reading this can use them)',
    `  server key   ${DEMO_SERVER_KEY}`,
    `  client key   ${DEMO_CLIENT_KEY}`,
    `  admin token  ${DEMO_ADMIN_TOKEN} (write)`,
    '',
    'Endpoints',
    `  snapshot     ${url}/sdk/v1/snapshot`,
    `  SSE stream   ${url}/sdk/v1/stream`,
    `  WebSocket    ${ws}/sdk/v1/ws`,
    `  OFREP        ${url}/ofrep/v1/evaluate/flags`,
    `  admin API    ${url}/admin/v1`,
    `  OpenAPI      ${url}/admin/v1/openapi.json`,
    `  health       ${url}/healthz  ${url}/readyz  ${url}/metrics`,
    '',
    'Try',
    `  curl -H 'Authorization: ${DEMO_SERVER_KEY}' ${url}/sdk/v1/snapshot`,
    `  curl -N -H 'Authorization: ${DEMO_SERVER_KEY}' ${url}/sdk/v1/stream`,
    `  curl ${url}/admin/v1/openapi.json   (every admin route; send 'Authorization: Bearer ${DEMO_ADMIN_TOKEN}')`,
    '',
  ].join('\n');
}
