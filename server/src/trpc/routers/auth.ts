import { protectedProcedure, router } from "../trpc";

export const authRouter = router({
  /** Who the token says the caller is, and until when. */
  me: protectedProcedure.query(({ ctx }) => ({
    sub: ctx.user.sub,
    role: ctx.user.role,
    expiresAt: ctx.user.expiresAt?.toISOString() ?? null,
  })),
});
