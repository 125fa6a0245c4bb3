import { SignJWT, jwtVerify } from "jose";
import { z } from "zod";

export const roleSchema = z.enum(["admin", "user"]);
export type Role = z.infer<typeof roleSchema>;

export interface User {
  sub: string;
  role: Role;
}

const claimsSchema = z.object({ sub: z.string().min(1), role: roleSchema });

/** Signs and checks the service's bearer tokens (HS256, claims `sub` and `role`). */
/** The token of an `Authorization: Bearer <token>` header, or null. */
export const bearerToken = (header: string | undefined): string | null => header?.match(/^Bearer\s+(.+)$/i)?.[1] ?? null;

export function createTokens(secret: string) {
  const key = new TextEncoder().encode(secret);
  return {
    async sign(user: User, expiresIn: string = "30d"): Promise<string> {
      return new SignJWT({ role: user.role })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(user.sub)
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(key);
    },
    /** The token's user, or null for a token that is malformed, forged or expired. */
    async verify(token: string): Promise<User | null> {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"] });
        const claims = claimsSchema.safeParse(payload);
        return claims.success ? claims.data : null;
      } catch {
        return null;
      }
    },
  };
}

export type Tokens = ReturnType<typeof createTokens>;
