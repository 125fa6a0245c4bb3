import { initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";
import { describeIssues } from "../zod-issues";
import type { Context } from "./context";

/** tRPC is set up here once; routers import the builders below. */
const t = initTRPC.context<Context>().create({
  // Never send stack traces to clients, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error }) {
    // An input refused by its schema says which field and why, in the message clients show.
    const message =
      error.code === "BAD_REQUEST" && error.cause instanceof z.core.$ZodError ? describeIssues(error.cause.issues) : shape.message;
    // Upload rejections travel with the error so a client can name each refused file.
    const rejected = (error.cause as { rejected?: unknown } | undefined)?.rejected;
    return { ...shape, message, ...(rejected ? { data: { ...shape.data, rejected } } : {}) };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;

export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user)
    throw new TRPCError({ code: "UNAUTHORIZED", message: ctx.badToken ? "invalid or expired token" : "sign in: send a bearer token" });
  // A WebSocket's context is made once, when it opens: a token that expired since then must not
  // go on starting calls on that socket.
  if (ctx.user.expiresAt && ctx.user.expiresAt.getTime() <= Date.now())
    throw new TRPCError({ code: "UNAUTHORIZED", message: "invalid or expired token" });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "admin only" });
  return next();
});
