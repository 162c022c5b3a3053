"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { ApiFailure } from "@/lib/client/tasks-api";

/** Only a lost connection is worth trying again unasked; an answer from the server gets the page's own Retry. */
function retryOnNetworkFailure(failureCount: number, error: unknown): boolean {
  return error instanceof ApiFailure && error.apiError.kind === "network" && failureCount < 2;
}

function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: retryOnNetworkFailure, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}

/** The server-state cache of the pages below it: one QueryClient for as long as the page lives in the browser. */
export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(newQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
