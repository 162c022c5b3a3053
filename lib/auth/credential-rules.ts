// The sign-up rules, in one place for the server (lib/auth/server.ts), the forms and the API document.

export const PASSWORD_MIN_CHARS = 8;
export const PASSWORD_MAX_CHARS = 128;
/** Better Auth checks only that `name` is a string: without a limit a 1 MB name would be stored and echoed. */
export const NAME_MAX_CHARS = 100;
