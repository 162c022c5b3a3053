import { describe, expect, it } from "vitest";
import { dueLabel, todayIn } from "@/lib/client/due-label";

// Thursday 3 December 2026.
const TODAY = "2026-12-03";

describe("How a due date reads in a task's row", () => {
  it.each([
    // due_date, due_time, locale, now, text, overdue
    ["2026-12-03", null, "en-GB", undefined, "Today", false],
    ["2026-12-04", null, "en-GB", undefined, "Tomorrow", false],
    ["2026-12-02", null, "en-GB", undefined, "Yesterday", true],
    ["2026-12-05", null, "en-GB", undefined, "Saturday", false],
    ["2026-12-09", null, "en-GB", undefined, "Wednesday", false],
    // A week on is the same weekday as today: the date says which.
    ["2026-12-10", null, "en-GB", undefined, "Thu 10 Dec", false],
    ["2026-11-30", null, "en-GB", undefined, "Mon 30 Nov", true],
    ["2026-12-10", null, "en-US", undefined, "Thu, Dec 10", false],
    ["2027-01-05", null, "en-GB", undefined, "Tue, 5 Jan 2027", false],
    ["2025-12-31", null, "en-US", undefined, "Wed, Dec 31, 2025", true],
    ["2026-12-03", "09:00", "en-GB", undefined, "Today 09:00", false],
    ["2026-12-04", "18:30", "en-US", undefined, "Tomorrow 6:30 PM", false],
    ["2026-12-04", "09:05", "fr-FR", undefined, "Tomorrow 09:05", false],
    ["2026-12-06", "00:00", "de", undefined, "Sunday 00:00", false],
    ["2026-12-03", "09:00", "en-GB", "09:01", "Today 09:00", true],
    ["2026-12-03", "09:00", "en-GB", "09:00", "Today 09:00", false],
    ["2026-12-03", "09:00", "en-GB", "08:59", "Today 09:00", false],
    // A time already passed makes only today's task overdue, not tomorrow's.
    ["2026-12-04", "09:00", "en-GB", "23:00", "Tomorrow 09:00", false],
    // A day-first locale in another language still reads in English, as the rest of the UI does.
    ["2026-12-20", null, "de-DE", undefined, "Sun 20 Dec", false],
    // An unknown locale falls back to English rather than throwing.
    ["2026-12-20", null, "not a locale!", undefined, "Sun, Dec 20", false],
  ] as const)("%s %s in %s (now %s) reads “%s”, overdue: %s", (due_date, due_time, locale, now, text, overdue) => {
    const label = dueLabel({ due_date, due_time }, { today: TODAY, now, locale });
    expect(label?.text).toBe(text);
    expect(label?.overdue).toBe(overdue);
  });

  it("names the parts, and the instant for <time dateTime>", () => {
    expect(dueLabel({ due_date: "2026-12-03", due_time: "09:00" }, { today: TODAY, locale: "en-GB" })).toEqual({
      text: "Today 09:00",
      day: "Today",
      time: "09:00",
      relative: "today",
      overdue: false,
      dateTime: "2026-12-03T09:00",
    });
    expect(dueLabel({ due_date: "2026-12-07", due_time: null }, { today: TODAY, locale: "en-GB" })).toMatchObject({
      relative: null,
      time: null,
      dateTime: "2026-12-07",
    });
  });

  it("abbreviates the weekday when asked", () => {
    expect(
      dueLabel({ due_date: "2026-12-05", due_time: null }, { today: TODAY, locale: "en-GB", weekday: "short" })?.text,
    ).toBe("Sat");
  });

  it("has no label without a date", () => {
    expect(dueLabel({ due_date: null, due_time: null }, { today: TODAY, locale: "en-GB" })).toBeNull();
  });

  it("counts days across a change of clocks and of year", () => {
    // Europe's clocks go back on 25 October 2026; day arithmetic is on calendar dates, not instants.
    expect(dueLabel({ due_date: "2026-10-26", due_time: null }, { today: "2026-10-25", locale: "en-GB" })?.text).toBe(
      "Tomorrow",
    );
    expect(dueLabel({ due_date: "2027-01-01", due_time: null }, { today: "2026-12-31", locale: "en-GB" })?.text).toBe(
      "Tomorrow",
    );
  });
});

describe("Today in the user's time zone", () => {
  it.each([
    ["2026-12-03T23:30:00Z", "Europe/Paris", "2026-12-04"],
    ["2026-12-03T23:30:00Z", "America/Los_Angeles", "2026-12-03"],
    ["2026-12-03T15:30:00Z", "Asia/Tokyo", "2026-12-04"],
    ["2026-12-03T15:30:00Z", "UTC", "2026-12-03"],
  ])("at %s in %s it is %s", (instant, timeZone, date) => {
    expect(todayIn(timeZone, new Date(instant))).toBe(date);
  });
});
