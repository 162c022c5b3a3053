import type { ImportPlan, PlannedTask } from "./plan";
import type { ExportDocument } from "./schema";

/** Byte order of the position keys (ASCII), then id, as the API sorts them. */
const byPosition = (a: { position: string; id: string }, b: { position: string; id: string }) =>
  a.position < b.position ? -1 : a.position > b.position ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * An export document as an import: its lists in their order, its tags, and its tasks in the order their positions
 * give within each list (whatever the order of the array). A task naming a list the document does not hold is
 * refused; ids, times, versions, positions and user ids are the new account's own.
 */
export function planDocumentImport(document: ExportDocument): ImportPlan {
  const lists = document.lists.map((list, index) => ({ list, index })).sort((a, b) => byPosition(a.list, b.list));
  const listOrder = new Map(lists.map(({ list }, order) => [list.id, order]));
  const plan: ImportPlan = {
    lists: lists.map(({ list, index }) => ({ key: list.id, name: list.name, where: { index } })),
    tags: document.tags.map((tag) => tag.name),
    tasks: [],
    refused: [],
    notes: [],
  };
  const placed: (PlannedTask & { order: number; position: string; id: string })[] = [];
  document.tasks.forEach((task, index) => {
    const order = task.list_id === null ? -1 : listOrder.get(task.list_id);
    if (order === undefined) {
      plan.refused.push({ index, kind: "task", reason: "list_id names no list of this document's lists" });
      return;
    }
    const { title, description, completed, due_date, due_time, priority, tags } = task;
    placed.push({
      where: { index },
      listKey: task.list_id,
      body: { title, description, completed, due_date, due_time, priority, tags },
      order,
      position: task.position,
      id: task.id,
    });
  });
  placed.sort((a, b) => a.order - b.order || byPosition(a, b));
  plan.tasks = placed.map(({ where, listKey, body }) => ({ where, listKey, body }));
  return plan;
}
