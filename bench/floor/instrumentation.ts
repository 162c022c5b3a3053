// Empty on purpose: without a hook of its own, Turbopack compiles the project's (which checks the app's env).
export function register() {}
