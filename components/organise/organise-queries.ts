"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo } from "react";
import { describeApiError } from "@/components/tasks/api-messages";
import { taskKeys } from "@/components/tasks/task-keys";
import { useTasksApi } from "@/components/tasks/task-queries";
import { createOrganiseApi, type List, type ListTasksChoice, type Tag } from "@/lib/client/organise-api";
import { type ApiResult, unwrap } from "@/lib/client/tasks-api";
import { nameKey } from "@/lib/text";

function useOrganiseApi(userId: string) {
  const tasksApi = useTasksApi(userId);
  return useMemo(() => createOrganiseApi(userId, tasksApi.request), [userId, tasksApi]);
}

/** The user's lists, in their order. */
export function useLists(userId: string) {
  const api = useOrganiseApi(userId);
  return useQuery({ queryKey: taskKeys.namedLists(userId), queryFn: ({ signal }) => unwrap(api.lists(signal)) });
}

/** The user's tags (by name), and their ids by folded name, to count what tasks carry by name. */
export function useTags(userId: string) {
  const api = useOrganiseApi(userId);
  const query = useQuery({ queryKey: taskKeys.tags(userId), queryFn: ({ signal }) => unwrap(api.tags(signal)) });
  const ids = useMemo(() => new Map((query.data ?? []).map((tag) => [nameKey(tag.name), tag.id])), [query.data]);
  return { tags: query.data ?? [], ids };
}

/** Keeps the account's time zone the browser's, so views and counts asked for without `tz` agree with the page. */
export function useTimeZoneSetting(userId: string, timeZone: string) {
  const api = useOrganiseApi(userId);
  const settings = useQuery({
    queryKey: taskKeys.settings(userId),
    queryFn: ({ signal }) => unwrap(api.settings(signal)),
  });
  const stored = settings.data?.time_zone;
  useEffect(() => {
    if (settings.data && stored !== timeZone) void api.updateSettings({ time_zone: timeZone });
  }, [api, settings.data, stored, timeZone]);
}

/**
 * Creating, renaming and deleting lists and tags. Each resolves to the refusal's message for the form or dialog
 * that asked (see `ActionResult`), or undefined; everything of the user is read again after, since a rename or a
 * delete changes tasks too (their tags, their list) and the counts.
 */
export function useOrganiseMutations(userId: string) {
  const client = useQueryClient();
  const api = useOrganiseApi(userId);
  async function act(result: Promise<ApiResult<unknown>>): Promise<string | undefined> {
    const settled = await result;
    await client.invalidateQueries({ queryKey: taskKeys.all(userId) });
    return settled.ok ? undefined : describeApiError(settled.error);
  }
  return {
    createList: (name: string) => act(api.createList(name)),
    renameList: (list: List, name: string) => act(api.renameList(list, name)),
    deleteList: (list: List, tasks: ListTasksChoice) => act(api.deleteList(list, tasks)),
    renameTag: (tag: Tag, name: string) => act(api.renameTag(tag, name)),
    deleteTag: (tag: Tag) => act(api.deleteTag(tag)),
  };
}
