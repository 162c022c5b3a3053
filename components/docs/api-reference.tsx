"use client";

import { type AnyApiReferenceConfiguration, ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";
import { type CSSProperties, useEffect, useMemo, useState } from "react";

type OpenApiDocument = { [key: string]: unknown };

/** Scalar keeps its sticky sidebar below a page header of this height: the site header, h-14 plus its border. */
const BELOW_SITE_HEADER = { "--scalar-custom-header-height": "calc(3.5rem + 1px)" } as CSSProperties;

/** API tokens live 15 minutes; fetch a fresh one well before. */
const TOKEN_REFRESH_MS = 10 * 60 * 1000;

/** The signed-in user's API token, from `GET /api/auth/token` with the session cookie; undefined until then. */
function useApiToken(enabled: boolean): { token?: string; failed: boolean } {
  const [state, setState] = useState<{ token?: string; failed: boolean }>({ failed: false });
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    const load = async () => {
      try {
        const response = await fetch("/api/auth/token", { credentials: "same-origin", cache: "no-store" });
        if (!response.ok) throw new Error(`GET /api/auth/token answered ${response.status}`);
        const { token } = (await response.json()) as { token: string };
        if (!cancelled) setState({ token, failed: false });
      } catch {
        if (!cancelled) setState((previous) => ({ ...previous, failed: true }));
      }
    };
    void load();
    const timer = setInterval(load, TOKEN_REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [enabled]);
  return state;
}

type Parameter = { in?: string; required?: boolean; schema?: { default?: unknown }; [key: string]: unknown };
type Operation = { parameters?: Parameter[] };
type TryOutDocument = {
  paths?: Record<string, Record<string, Operation>>;
  components?: { parameters?: Record<string, Parameter> };
};

/**
 * The document as the console should start: the visitor's user id as the example (so the pre-filled value) of
 * `{userId}`, and optional query filters without a default switched off (Scalar switches on any parameter it can
 * find an example for, which would filter the list by `completed=true` at first try).
 */
function forTryingOut(document: OpenApiDocument, userId: string | undefined): OpenApiDocument {
  const copy = structuredClone(document) as TryOutDocument;
  const userIdParameter = copy.components?.parameters?.UserId;
  if (userId && userIdParameter) userIdParameter.example = userId;
  for (const pathItem of Object.values(copy.paths ?? {})) {
    for (const operation of Object.values(pathItem)) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === "query" && !parameter.required && parameter.schema?.default === undefined) {
          parameter.examples = { off: { value: "", "x-disabled": true } };
        }
      }
    }
  }
  return copy as OpenApiDocument;
}

/**
 * Scalar's API reference of the document, rendered in the browser from the bundled package (no CDN, fonts or
 * telemetry). For a signed-in visitor the bearer token and `{userId}` are filled in, so "Test Request" works as is.
 */
export function ApiReference({ document, userId }: { document: OpenApiDocument; userId?: string }) {
  const { token, failed } = useApiToken(Boolean(userId));
  const content = useMemo(() => forTryingOut(document, userId), [document, userId]);
  const configuration = useMemo(
    (): AnyApiReferenceConfiguration => ({
      content,
      withDefaultFonts: false,
      telemetry: false,
      showDeveloperTools: "never",
      documentDownloadType: "json",
      hideClientButton: true,
      mcp: { disabled: true },
      // Scalar's "Ask AI" talks to its cloud; it is on by default on localhost.
      agent: { disabled: true },
      authentication: {
        preferredSecurityScheme: "bearerAuth",
        securitySchemes: token ? { bearerAuth: { token } } : {},
      },
    }),
    [content, token],
  );
  return (
    <div style={BELOW_SITE_HEADER}>
      {failed ? (
        <p role="status" className="bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          Couldn't get an API token for your session; sign in again to try requests.
        </p>
      ) : null}
      <ApiReferenceReact configuration={configuration} />
    </div>
  );
}
