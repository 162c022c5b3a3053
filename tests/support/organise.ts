import type { ListJson } from "@/lib/lists/schema";
import type { TagJson } from "@/lib/tags/schema";
import { call } from "./app.ts";
import { expectJson } from "./tasks.ts";
import type { TestUser } from "./users.ts";

export const listsPath = (user: { id: string }) => `/api/${user.id}/lists`;
export const listPath = (user: { id: string }, listId: string) => `/api/${user.id}/lists/${listId}`;
export const tagsPath = (user: { id: string }) => `/api/${user.id}/tags`;
export const tagPath = (user: { id: string }, tagId: string) => `/api/${user.id}/tags/${tagId}`;

export async function createList(user: TestUser, name: string): Promise<ListJson> {
  const response = await call("POST", listsPath(user), { token: user.token, json: { name } });
  return expectJson<ListJson>(response, 201);
}

export async function listsOf(user: TestUser): Promise<ListJson[]> {
  const response = await call("GET", listsPath(user), { token: user.token });
  return expectJson<ListJson[]>(response, 200);
}

export async function tagsOf(user: TestUser): Promise<TagJson[]> {
  const response = await call("GET", tagsPath(user), { token: user.token });
  return expectJson<TagJson[]>(response, 200);
}

/** The user's tag of this name (as `GET …/tags` lists it); fails the test if there is none. */
export async function tagNamed(user: TestUser, name: string): Promise<TagJson> {
  const tag = (await tagsOf(user)).find((candidate) => candidate.name === name);
  if (!tag) throw new Error(`${name} is no tag of this user`);
  return tag;
}
