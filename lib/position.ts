// Manual order for tasks and lists: fractional indexing (rocicorp's `fractional-indexing`), so a move writes one
// row instead of renumbering its neighbours. Keys compare as bytes (the columns are COLLATE "C"), ties by id.
import { generateKeyBetween } from "fractional-indexing";

/**
 * A key strictly between two existing keys (null: the start or the end). Equal neighbours (two rows created at
 * the same instant) leave no room between them: the new key then goes just after both.
 */
export function positionBetween(before: string | null, after: string | null): string {
  if (before !== null && after !== null && before >= after) return generateKeyBetween(before, null);
  return generateKeyBetween(before, after);
}
