import { SchemaType, type ResponseSchema, type Schema } from "@google/generative-ai";
import { z } from "zod";
import { extractionSchema } from "../../extraction/schema";

type JsonSchema = {
  type?: string | string[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
  minimum?: number;
  maximum?: number;
};

const scalar: Record<string, SchemaType> = {
  string: SchemaType.STRING,
  number: SchemaType.NUMBER,
  integer: SchemaType.INTEGER,
  boolean: SchemaType.BOOLEAN,
};

/**
 * Gemini takes an OpenAPI-style subset of JSON Schema: `nullable` instead of a union with null,
 * enums as strings with format "enum", no patterns. Translating the zod schema's JSON Schema
 * keeps the validator and what the model is asked for from drifting apart.
 */
function toGemini(node: JsonSchema, nullable = false): Schema {
  if (node.anyOf) {
    const others = node.anyOf.filter((n) => n.type !== "null");
    const [only] = others;
    if (others.length !== 1 || !only) throw new Error("only `X | null` unions can be expressed for Gemini");
    return toGemini({ description: node.description, ...only }, true);
  }
  const base = { ...(node.description ? { description: node.description } : {}), ...(nullable ? { nullable: true } : {}) };
  if (node.enum) return { ...base, type: SchemaType.STRING, format: "enum", enum: node.enum.map(String) };
  switch (node.type) {
    case "object": {
      const properties = Object.fromEntries(Object.entries(node.properties ?? {}).map(([k, v]) => [k, toGemini(v)]));
      return { ...base, type: SchemaType.OBJECT, properties, required: node.required ?? Object.keys(properties) };
    }
    case "array":
      return { ...base, type: SchemaType.ARRAY, items: toGemini(node.items ?? {}) };
    default: {
      const type = scalar[String(node.type)];
      if (!type) throw new Error(`no Gemini schema type for ${JSON.stringify(node.type)}`);
      return { ...base, type } as Schema;
    }
  }
}

export const extractionResponseSchema = toGemini(z.toJSONSchema(extractionSchema) as JsonSchema) as ResponseSchema;
