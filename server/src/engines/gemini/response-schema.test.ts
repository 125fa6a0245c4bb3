import { SchemaType } from "@google/generative-ai";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { djSchema, extractionSchema, showSchema, vendorSchema, venueSchema, WEEKDAYS } from "../../extraction/schema";
import { extractionResponseSchema } from "./response-schema";

type Node = {
  type?: string;
  properties?: Record<string, Node>;
  required?: string[];
  items?: Node;
  nullable?: boolean;
  enum?: string[];
  format?: string;
  [key: string]: unknown;
};

const root = extractionResponseSchema as unknown as Node;
const itemOf = (list: "shows" | "venues" | "djs" | "vendors") => root.properties![list]!.items!;

const ITEM_SCHEMAS = { shows: showSchema, venues: venueSchema, djs: djSchema, vendors: vendorSchema } as const;

/** Every node of the tree with the path to it. */
function* walk(node: unknown, path = "$"): Generator<[string, Record<string, unknown>]> {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const [i, child] of node.entries()) yield* walk(child, `${path}[${i}]`);
    return;
  }
  yield [path, node as Record<string, unknown>];
  for (const [key, child] of Object.entries(node)) yield* walk(child, `${path}.${key}`);
}

describe("extractionResponseSchema", () => {
  it("is an object with shows, venues, djs and vendors arrays, all required", () => {
    expect(root.type).toBe(SchemaType.OBJECT);
    expect(Object.keys(root.properties!).sort()).toEqual(["djs", "shows", "vendors", "venues"]);
    expect([...root.required!].sort()).toEqual(["djs", "shows", "vendors", "venues"]);
    for (const list of ["shows", "venues", "djs", "vendors"] as const) {
      expect(root.properties![list]!.type).toBe(SchemaType.ARRAY);
      expect(root.properties![list]!.nullable).toBeUndefined();
      expect(itemOf(list).type).toBe(SchemaType.OBJECT);
    }
  });

  it("covers the same top-level lists as the zod schema", () => {
    expect(Object.keys(root.properties!).sort()).toEqual(Object.keys(extractionSchema.shape).sort());
  });

  for (const [list, zodItem] of Object.entries(ITEM_SCHEMAS) as [keyof typeof ITEM_SCHEMAS, z.ZodObject][]) {
    it(`${list}: has every zod field, all listed as required`, () => {
      const item = itemOf(list);
      const fields = Object.keys(zodItem.shape).sort();
      expect(Object.keys(item.properties!).sort()).toEqual(fields);
      expect([...item.required!].sort()).toEqual(fields);
    });

    it(`${list}: marks exactly the fields zod accepts null for as nullable`, () => {
      const item = itemOf(list);
      for (const [field, zodField] of Object.entries(zodItem.shape) as [string, z.ZodType][]) {
        const acceptsNull = zodField.safeParse(null).success;
        expect({ field, nullable: item.properties![field]!.nullable === true }).toEqual({ field, nullable: acceptsNull });
      }
    });
  }

  it("gives shows the expected field types", () => {
    const p = itemOf("shows").properties!;
    expect(p.venueName).toMatchObject({ type: SchemaType.STRING });
    expect(p.venueName!.nullable).toBeUndefined();
    for (const f of ["startTime", "endTime", "date", "djName", "vendor", "description"]) {
      expect(p[f]).toMatchObject({ type: SchemaType.STRING, nullable: true });
    }
    expect(p.confidence).toMatchObject({ type: SchemaType.NUMBER });
    expect(p.confidence!.nullable).toBeUndefined();
  });

  it("makes dayOfWeek a string enum of the seven weekdays", () => {
    const day = itemOf("shows").properties!.dayOfWeek!;
    expect(day.type).toBe(SchemaType.STRING);
    expect(day.format).toBe("enum");
    expect(day.enum).toEqual([...WEEKDAYS]);
    expect(day.enum).toEqual(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);
    expect(day.nullable).toBeUndefined();
  });

  it("makes DJ aliases and socialHandles non-null arrays of strings", () => {
    const p = itemOf("djs").properties!;
    for (const f of ["aliases", "socialHandles"]) {
      expect(p[f]!.type).toBe(SchemaType.ARRAY);
      expect(p[f]!.nullable).toBeUndefined();
      expect(p[f]!.items!.type).toBe(SchemaType.STRING);
    }
  });

  it("keeps the zod descriptions as hints for the model", () => {
    expect(itemOf("shows").properties!.startTime!.description).toMatch(/HH:MM/);
    expect(itemOf("shows").properties!.djName!.description).toMatch(/DJ|KJ/);
  });

  it("contains no JSON-Schema-only keys anywhere", () => {
    const forbidden = ["anyOf", "oneOf", "allOf", "$schema", "$ref", "$defs", "pattern", "additionalProperties", "const"];
    const nodes = [...walk(root)];
    expect(nodes.length).toBeGreaterThan(30);
    const found = nodes.flatMap(([path, node]) => forbidden.filter((k) => k in node).map((k) => `${path}.${k}`));
    expect(found).toEqual([]);
  });

  it("uses only Gemini's type names and never a type list or a null type", () => {
    const allowed = new Set<unknown>(Object.values(SchemaType));
    const bad = [...walk(root)]
      .filter(([path, node]) => "type" in node && !path.endsWith(".properties"))
      .filter(([, node]) => !allowed.has(node.type))
      .map(([path, node]) => `${path}: ${JSON.stringify(node.type)}`);
    expect(bad).toEqual([]);
  });

  it("lists required fields only among an object's properties", () => {
    for (const [path, node] of walk(root)) {
      if (node.type !== SchemaType.OBJECT) continue;
      const props = Object.keys((node.properties as object | undefined) ?? {});
      for (const r of (node.required as string[] | undefined) ?? []) expect(props, `${path} requires ${r}`).toContain(r);
    }
  });
});
