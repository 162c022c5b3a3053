/** Memoises a factory so expensive singletons are built on first use, not at import time. */
export function once<T>(factory: () => T): () => T {
  let value: { current: T } | undefined;
  return () => {
    value ??= { current: factory() };
    return value.current;
  };
}
