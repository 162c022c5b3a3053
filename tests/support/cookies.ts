/** The cookies a response sets, as a `Cookie` request header (names and values, no attributes). */
export function cookieOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
}
