// The browser's client for the organising routes beside the tasks: lists, tags and the settings.
// It sends through the task client's request (token, one retry on 401, typed results), so failures look the same.

import { z } from "zod";
import { ListJson } from "@/lib/lists/schema";
import { SettingsJson, type SettingsPatch } from "@/lib/settings/schema";
import { TagJson } from "@/lib/tags/schema";
import type { ApiResult, TaskRequest } from "./tasks-api";

export type List = ListJson;
export type Tag = TagJson;
export type Settings = SettingsJson;
export type ListTasksChoice = "move" | "delete";

export interface OrganiseApi {
  lists(signal?: AbortSignal): Promise<ApiResult<List[]>>;
  createList(name: string): Promise<ApiResult<List>>;
  renameList(list: List, name: string): Promise<ApiResult<List>>;
  /** `move` puts the list's tasks in the Inbox, `delete` deletes them with it. */
  deleteList(list: List, tasks: ListTasksChoice): Promise<ApiResult<undefined>>;
  tags(signal?: AbortSignal): Promise<ApiResult<Tag[]>>;
  renameTag(tag: Tag, name: string): Promise<ApiResult<Tag>>;
  deleteTag(tag: Tag): Promise<ApiResult<undefined>>;
  settings(signal?: AbortSignal): Promise<ApiResult<Settings>>;
  updateSettings(patch: SettingsPatch): Promise<ApiResult<Settings>>;
}

export function createOrganiseApi(userId: string, request: TaskRequest): OrganiseApi {
  const user = `/api/${encodeURIComponent(userId)}`;
  const listPath = (list: List) => `${user}/lists/${encodeURIComponent(list.id)}`;
  const tagPath = (tag: Tag) => `${user}/tags/${encodeURIComponent(tag.id)}`;
  const etag = (list: List) => `"${list.version}"`;
  return {
    lists: (signal) => request({ method: "GET", path: `${user}/lists`, schema: z.array(ListJson), signal }),
    createList: (name) => request({ method: "POST", path: `${user}/lists`, body: { name }, schema: ListJson }),
    renameList: (list, name) =>
      request({ method: "PATCH", path: listPath(list), body: { name }, schema: ListJson, ifMatch: etag(list) }),
    deleteList: (list, tasks) => request({ method: "DELETE", path: `${listPath(list)}?tasks=${tasks}` }),
    tags: (signal) => request({ method: "GET", path: `${user}/tags`, schema: z.array(TagJson), signal }),
    renameTag: (tag, name) => request({ method: "PATCH", path: tagPath(tag), body: { name }, schema: TagJson }),
    deleteTag: (tag) => request({ method: "DELETE", path: tagPath(tag) }),
    settings: (signal) => request({ method: "GET", path: `${user}/settings`, schema: SettingsJson, signal }),
    updateSettings: (patch) =>
      request({ method: "PATCH", path: `${user}/settings`, body: patch, schema: SettingsJson }),
  };
}
