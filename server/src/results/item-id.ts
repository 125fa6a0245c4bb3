import type { ItemKind } from "@showscan/db";
import { v5 as uuidv5 } from "uuid";

/** A fixed namespace: the same batch, kind and key always name the same item. */
const NAMESPACE = "6f1c2d4e-8b3a-5c7d-9e0f-1a2b3c4d5e6f";

/**
 * A merged item's id, derived rather than generated: the live merge of a running batch and the
 * stored merge at its end give an item the same id, so a page showing it keeps its rows.
 */
export const itemId = (batchId: string, kind: ItemKind, key: string) => uuidv5(`${batchId}|${kind}|${key}`, NAMESPACE);
