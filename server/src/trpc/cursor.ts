import { z } from "zod";

/** A list's cursor: `createdAt|id` of the last row of the previous page. */
export const cursorSchema = (from: string) =>
  z
    .string()
    .transform((c) => c.split("|"))
    .pipe(z.tuple([z.iso.datetime(), z.uuid()], { error: `not a cursor from ${from}` }))
    .transform(([createdAt, id]) => ({ createdAt: new Date(createdAt), id }));
