import { SignJWT, jwtVerify, type JWTPayload } from "jose";
import { z } from "zod";

export const roleSchema = z.enum(["admin", "user"]);
export type Role = z.infer<typeof roleSchema>;

export interface User {
  sub: string;
  role: Role;
}

/** A verified token's user and when the token stops being valid (null: never). */
export interface Session extends User {
  expiresAt: Date | null;
}

const claimsSchema = z.object({ sub: z.string().min(1), role: roleSchema });

/** The token of an `Authorization: Bearer <token>` header, or null. */
export const bearerToken = (header: string | undefined): string | null => header?.match(/^Bearer\s+(.+)$/i)?.[1] ?? null;

/**
 * Signs and checks the service's tokens (HS256, claims `sub` and `role`): bearer tokens, and
 * tokens for one audience with claims of their own (signed image links, see image-links.ts).
 */
export function createTokens(secret: string) {
  const key = new TextEncoder().encode(secret);

  /** The one token parser: signature, expiry, audience, then the claims every token carries. */
  async function read(token: string, audience?: string): Promise<{ session: Session; payload: JWTPayload } | null> {
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"], audience });
      // A token made for one audience (an image link) never passes as a bearer token.
      if (audience === undefined && payload.aud !== undefined) return null;
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) return null;
      const expiresAt = payload.exp === undefined ? null : new Date(payload.exp * 1000);
      return { session: { ...claims.data, expiresAt }, payload };
    } catch {
      return null;
    }
  }

  return {
    async sign(user: User, expiresIn: string = "30d"): Promise<string> {
      return new SignJWT({ role: user.role })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(user.sub)
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(key);
    },
    /** The bearer token's session, or null for a token that is malformed, forged, expired or meant for another use. */
    async verify(token: string): Promise<Session | null> {
      return (await read(token))?.session ?? null;
    },
    /** A token for `audience` only, naming `user`, with extra claims; times in seconds since the epoch. */
    async signFor(audience: string, user: User, claims: Record<string, string>, times: { issuedAt: number; expiresAt: number }) {
      return new SignJWT({ ...claims, role: user.role })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(user.sub)
        .setAudience(audience)
        .setIssuedAt(times.issuedAt)
        .setExpirationTime(times.expiresAt)
        .sign(key);
    },
    readFor: (token: string, audience: string) => read(token, audience),
  };
}

export type Tokens = ReturnType<typeof createTokens>;
