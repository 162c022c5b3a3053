// Reads a V8 .cpuprofile (`node --cpu-prof`) and summarises its self time: by where the code comes from, and the top
// functions. Used by `BENCH_PROFILE=1 npm run bench:http`; runs on its own too: `node scripts/cpu-profile.ts <file>`.
import { readFileSync } from "node:fs";
import path from "node:path";

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

const PACKAGE = /node_modules\/((?:@[^/]+\/)?[^/]+)\//;

/** Where a frame's code comes from: Node itself, V8, a package, or the app's bundled server code. */
function origin({ functionName, url }: CallFrame): string {
  if (functionName === "(garbage collector)") return "GC";
  if (functionName === "(idle)" || functionName === "(program)") return functionName;
  if (url === "") return "native (V8 builtins, C++)";
  if (url.startsWith("node:")) return "node internals";
  if (url.includes("/lib/generated/prisma/")) return "@prisma/client (generated)";
  const pkg = url.match(PACKAGE)?.[1];
  if (pkg) return pkg;
  if (url.includes("/.next/server/")) return "bundled server code (the app and what it bundles)";
  return "other";
}

function shortUrl(url: string): string {
  const pkg = url.match(PACKAGE);
  if (pkg?.index !== undefined) return url.slice(pkg.index + "node_modules/".length);
  const next = url.indexOf("/.next/");
  return next >= 0 ? url.slice(next + 1) : url.replace(/^file:\/\//, "");
}

export type ProfileSummary = {
  totalMs: number;
  busyMs: number;
  origins: { origin: string; ms: number; share: number }[];
  functions: { name: string; where: string; origin: string; ms: number; share: number }[];
};

/** Self time per origin and per function, as shares of the busy time (idle excluded). */
export function summarise(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    selfMs.set(id, (selfMs.get(id) ?? 0) + ms);
  });
  const origins = new Map<string, number>();
  const functions = new Map<string, { name: string; where: string; origin: string; ms: number }>();
  let idleMs = 0;
  for (const [id, ms] of selfMs) {
    const frame = (byId.get(id) as ProfileNode).callFrame;
    const from = origin(frame);
    if (from === "(idle)") {
      idleMs += ms;
      continue;
    }
    origins.set(from, (origins.get(from) ?? 0) + ms);
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : "";
    const key = `${frame.functionName}@${where}`;
    const entry = functions.get(key) ?? { name: frame.functionName || "(anonymous)", where, origin: from, ms: 0 };
    entry.ms += ms;
    functions.set(key, entry);
  }
  const busyMs = totalMs - idleMs;
  const share = (ms: number) => ms / busyMs;
  return {
    totalMs,
    busyMs,
    origins: [...origins].map(([name, ms]) => ({ origin: name, ms, share: share(ms) })).sort((a, b) => b.ms - a.ms),
    functions: [...functions.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map((entry) => ({ ...entry, share: share(entry.ms) })),
  };
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`.padStart(6);

export function formatSummary(summary: ProfileSummary): string {
  const lines = [
    `Self time: ${(summary.busyMs / 1000).toFixed(1)} s busy of ${(summary.totalMs / 1000).toFixed(1)} s profiled (idle left out).`,
    "By origin:",
    ...summary.origins.filter((o) => o.share >= 0.002).map((o) => `  ${percent(o.share)}  ${o.origin}`),
    "Top functions:",
    ...summary.functions.map((f) => `  ${percent(f.share)}  ${f.name}  ${f.where}  [${f.origin}]`),
  ];
  return lines.join("\n");
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: node scripts/cpu-profile.ts <file.cpuprofile> [top]");
  console.log(formatSummary(summarise(readProfile(file), Number(process.argv[3] ?? 25))));
}
