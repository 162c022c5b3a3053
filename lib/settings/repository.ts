import "server-only";
import { userGone } from "../auth/bearer";
import { db } from "../db";
import { canonicalTimeZone } from "../time-zone";
import type { SettingsJson, SettingsPatch } from "./schema";

const DEFAULT_TIME_ZONE = "UTC";

/** The zone the user's views are computed in when a request names none. */
export async function userTimeZone(userId: string): Promise<string> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { timeZone: true } });
  return user?.timeZone ?? DEFAULT_TIME_ZONE;
}

export async function getSettings(userId: string): Promise<SettingsJson> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { timeZone: true } });
  if (!user) throw userGone();
  return { time_zone: user.timeZone };
}

export async function updateSettings(userId: string, patch: SettingsPatch): Promise<SettingsJson> {
  const timeZone = patch.time_zone == null ? patch.time_zone : canonicalTimeZone(patch.time_zone);
  const [user] = await db().user.updateManyAndReturn({
    where: { id: userId },
    data: { timeZone },
    select: { timeZone: true },
  });
  if (!user) throw userGone();
  return { time_zone: user.timeZone };
}
