import { z } from "zod";
import { TimeZone } from "../time-zone";

/** `GET /api/{userId}/settings`: what the API keeps about how the user works. */
export const SettingsJson = z.object({
  time_zone: z.string().nullable().meta({
    description: "The IANA time zone due dates and views are computed in; null means UTC until one is set.",
  }),
});

export const SettingsPatchInput = z
  .strictObject({ time_zone: TimeZone.nullable().optional() })
  .refine((patch) => Object.keys(patch).length > 0, "send time_zone");

export type SettingsJson = z.infer<typeof SettingsJson>;
export type SettingsPatch = z.infer<typeof SettingsPatchInput>;
