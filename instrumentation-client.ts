import { config } from "zod";

// The first time zod 4 parses an object it probes for eval (`new Function("")`) to compile a faster parser. The page
// CSP has no 'unsafe-eval', so the probe fails (zod falls back to its plain parser) but is reported as a violation.
// Runs before the app's code on every page, so neither our schemas nor Scalar's try.
config({ jitless: true });
