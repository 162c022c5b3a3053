import { addDays } from "@/lib/time-zone";

/** The quick picks next to the date field: today, tomorrow, and next week's Monday (as Todoist means it). */
export function dueShortcuts(today: string): { label: string; date: string | null }[] {
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
  const untilMonday = (8 - weekday) % 7 || 7;
  return [
    { label: "Today", date: today },
    { label: "Tomorrow", date: addDays(today, 1) },
    { label: "Next week", date: addDays(today, untilMonday) },
    { label: "No date", date: null },
  ];
}
