import "server-only";
import { rootClient } from "../db";
import { isDatabaseUnavailable } from "../http/database-errors";
import { type RequestContext, requestContext } from "../http/request-context";

const unavailableDuring = new WeakMap<RequestContext, unknown>();

/**
 * The database as Better Auth sees it, noting for the current request any failure that means the database is
 * unavailable: Better Auth turns some of them into answers of its own (a session it could not read is a 401 from
 * /token, a user it could not insert a 422, a session it could not delete a successful sign-out).
 */
export function databaseForAuth() {
  return rootClient().$extends({
    query: {
      async $allOperations({ args, query }) {
        const context = requestContext();
        // Better Auth carries on after a failure it swallows (a sign-out reads, then deletes, the session): the
        // request waits for an unavailable database once, not once per query.
        const earlier = context && unavailableDuring.get(context);
        if (earlier) throw earlier;
        try {
          return await query(args);
        } catch (error) {
          if (context && isDatabaseUnavailable(error)) unavailableDuring.set(context, error);
          throw error;
        }
      },
    },
  });
}

/** A failure of the database met by Better Auth during this request, even one it turned into an answer. */
export function databaseFailureDuring(context: RequestContext): unknown {
  return unavailableDuring.get(context);
}
