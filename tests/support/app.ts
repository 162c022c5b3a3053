import * as changesRoute from "@/app/api/[userId]/changes/route";
import * as eventsRoute from "@/app/api/[userId]/events/route";
import * as exportRoute from "@/app/api/[userId]/export/route";
import * as importRoute from "@/app/api/[userId]/import/route";
import * as listMoveRoute from "@/app/api/[userId]/lists/[listId]/move/route";
import * as listRoute from "@/app/api/[userId]/lists/[listId]/route";
import * as listsRoute from "@/app/api/[userId]/lists/route";
import * as settingsRoute from "@/app/api/[userId]/settings/route";
import * as tagRoute from "@/app/api/[userId]/tags/[tagId]/route";
import * as tagsRoute from "@/app/api/[userId]/tags/route";
import * as taskMoveRoute from "@/app/api/[userId]/tasks/[taskId]/move/route";
import * as taskRoute from "@/app/api/[userId]/tasks/[taskId]/route";
import * as batchRoute from "@/app/api/[userId]/tasks/batch/route";
import * as tasksRoute from "@/app/api/[userId]/tasks/route";
import * as summaryRoute from "@/app/api/[userId]/tasks/summary/route";
import * as tokenRoute from "@/app/api/[userId]/tokens/[tokenId]/route";
import * as tokensRoute from "@/app/api/[userId]/tokens/route";
import * as redeliverRoute from "@/app/api/[userId]/webhooks/[webhookId]/deliveries/[deliveryId]/redeliver/route";
import * as deliveriesRoute from "@/app/api/[userId]/webhooks/[webhookId]/deliveries/route";
import * as webhookRoute from "@/app/api/[userId]/webhooks/[webhookId]/route";
import * as webhookSecretRoute from "@/app/api/[userId]/webhooks/[webhookId]/secret/route";
import * as webhooksRoute from "@/app/api/[userId]/webhooks/route";
import * as authRoute from "@/app/api/auth/[...all]/route";
import * as webhookCronRoute from "@/app/api/cron/webhooks/route";
import * as healthRoute from "@/app/api/health/route";

export const BASE_URL = "http://localhost:3000";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type RouteModule = Record<string, unknown>;

const routes: { pattern: RegExp; module: RouteModule; params: (match: RegExpMatchArray) => Record<string, string> }[] =
  [
    { pattern: /^\/api\/auth\/(.+)$/, module: authRoute, params: (m) => ({ all: m[1] ?? "" }) },
    { pattern: /^\/api\/health$/, module: healthRoute, params: () => ({}) },
    {
      pattern: /^\/api\/([^/]+)\/tasks$/,
      module: tasksRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? "") }),
    },
    // Like Next's router: the static `summary` segment wins over `[taskId]`.
    {
      pattern: /^\/api\/([^/]+)\/tasks\/summary$/,
      module: summaryRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? "") }),
    },
    {
      pattern: /^\/api\/([^/]+)\/tasks\/batch$/,
      module: batchRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? "") }),
    },
    {
      pattern: /^\/api\/([^/]+)\/tasks\/([^/]+)$/,
      module: taskRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? ""), taskId: decodeURIComponent(m[2] ?? "") }),
    },
    {
      pattern: /^\/api\/([^/]+)\/tasks\/([^/]+)\/move$/,
      module: taskMoveRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? ""), taskId: decodeURIComponent(m[2] ?? "") }),
    },
    {
      pattern: /^\/api\/([^/]+)\/settings$/,
      module: settingsRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? "") }),
    },
    {
      pattern: /^\/api\/([^/]+)\/lists$/,
      module: listsRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? "") }),
    },
    {
      pattern: /^\/api\/([^/]+)\/lists\/([^/]+)$/,
      module: listRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? ""), listId: decodeURIComponent(m[2] ?? "") }),
    },
    {
      pattern: /^\/api\/([^/]+)\/lists\/([^/]+)\/move$/,
      module: listMoveRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? ""), listId: decodeURIComponent(m[2] ?? "") }),
    },
    {
      pattern: /^\/api\/([^/]+)\/changes$/,
      module: changesRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? "") }),
    },
    {
      pattern: /^\/api\/([^/]+)\/events$/,
      module: eventsRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? "") }),
    },
    { pattern: /^\/api\/cron\/webhooks$/, module: webhookCronRoute, params: () => ({}) },
    {
      pattern: /^\/api\/([^/]+)\/webhooks$/,
      module: webhooksRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? "") }),
    },
    {
      pattern: /^\/api\/([^/]+)\/webhooks\/([^/]+)$/,
      module: webhookRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? ""), webhookId: decodeURIComponent(m[2] ?? "") }),
    },
    {
      pattern: /^\/api\/([^/]+)\/webhooks\/([^/]+)\/secret$/,
      module: webhookSecretRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? ""), webhookId: decodeURIComponent(m[2] ?? "") }),
    },
    {
      pattern: /^\/api\/([^/]+)\/webhooks\/([^/]+)\/deliveries$/,
      module: deliveriesRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? ""), webhookId: decodeURIComponent(m[2] ?? "") }),
    },
    {
      pattern: /^\/api\/([^/]+)\/webhooks\/([^/]+)\/deliveries\/([^/]+)\/redeliver$/,
      module: redeliverRoute,
      params: (m) => ({
        userId: decodeURIComponent(m[1] ?? ""),
        webhookId: decodeURIComponent(m[2] ?? ""),
        deliveryId: decodeURIComponent(m[3] ?? ""),
      }),
    },
    {
      pattern: /^\/api\/([^/]+)\/export$/,
      module: exportRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? "") }),
    },
    {
      pattern: /^\/api\/([^/]+)\/import$/,
      module: importRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? "") }),
    },
    {
      pattern: /^\/api\/([^/]+)\/tags$/,
      module: tagsRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? "") }),
    },
    {
      pattern: /^\/api\/([^/]+)\/tokens$/,
      module: tokensRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? "") }),
    },
    {
      pattern: /^\/api\/([^/]+)\/tokens\/([^/]+)$/,
      module: tokenRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? ""), tokenId: decodeURIComponent(m[2] ?? "") }),
    },
    {
      pattern: /^\/api\/([^/]+)\/tags\/([^/]+)$/,
      module: tagRoute,
      params: (m) => ({ userId: decodeURIComponent(m[1] ?? ""), tagId: decodeURIComponent(m[2] ?? "") }),
    },
  ];

/** Sends a request through the real route handlers, as Next's router would, without a server. */
export async function dispatch(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  for (const route of routes) {
    const match = pathname.match(route.pattern);
    if (!match) continue;
    const handler = route.module[request.method] as Handler | undefined;
    if (!handler) throw new Error(`${pathname} exports no ${request.method} handler`);
    return handler(request, { params: Promise.resolve(route.params(match)) });
  }
  throw new Error(`No route for ${pathname}`);
}

export type CallOptions = {
  token?: string;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
};

export function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.token !== undefined) headers.set("Authorization", `Bearer ${options.token}`);
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  return dispatch(new Request(new URL(path, BASE_URL), { method, headers, body }));
}
