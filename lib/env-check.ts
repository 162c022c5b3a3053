import { env } from "./env";

// A bad environment stops the server at start with a message naming the variable, instead of failing the
// first request.
try {
  env();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
