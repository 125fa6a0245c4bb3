import type { CreateExpressContextOptions } from "@trpc/server/adapters/express";
import type { CreateWSSContextFnOptions } from "@trpc/server/adapters/ws";
import type { Services } from "../services";
import { bearerToken, type Session, type Tokens } from "../auth/tokens";
import { uploadTypeOf } from "../http/streamed-upload";

export interface Context {
  services: Services;
  user: Session | null;
  /** Set when a token was sent but is not valid: answered 401 rather than as anonymous. */
  badToken: boolean;
  /** A streamed upload's multipart type, set aside by the HTTP layer (http/streamed-upload.ts). */
  uploadContentType: string | undefined;
}

/** One context for both transports: the HTTP Authorization header or the WebSocket's connectionParams. */
export function createContextFactory(services: Services, tokens: Tokens) {
  return async (opts: CreateExpressContextOptions | CreateWSSContextFnOptions): Promise<Context> => {
    const fromParams = opts.info.connectionParams?.token;
    const token = typeof fromParams === "string" ? fromParams : bearerToken(opts.req.headers.authorization);
    const user = token ? await tokens.verify(token) : null;
    const uploadContentType = "locals" in opts.res ? uploadTypeOf(opts.res) : undefined;
    return { services, user, badToken: token !== null && user === null, uploadContentType };
  };
}
